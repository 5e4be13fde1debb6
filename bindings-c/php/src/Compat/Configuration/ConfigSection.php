<?php

declare(strict_types=1);

namespace CldKit\Compat\Configuration;

/**
 * One section of a {@see Configuration} (`cloud`, `api`, `url`, `tag`, `authToken`):
 * its settings read and write as camelCase properties (`$config->cloud->apiKey`) or
 * chained setters (`$config->url->secure(true)->cname('img.example.com')`), as in
 * cloudinary_php.
 */
final class ConfigSection
{
    public function __construct(private Configuration $config, private string $name)
    {
    }

    public function __get(string $property): mixed
    {
        return $this->config->get($this->name, self::snake($property));
    }

    public function __set(string $property, mixed $value): void
    {
        $this->config->set($this->name, self::snake($property), $value);
    }

    public function __isset(string $property): bool
    {
        return $this->config->get($this->name, self::snake($property)) !== null;
    }

    /** @param array<int, mixed> $args */
    public function __call(string $method, array $args): static
    {
        $this->config->set($this->name, self::snake($method), $args[0] ?? true);
        return $this;
    }

    /** Whether the setting was given (cloudinary_php's isExplicitlySet). */
    public function isExplicitlySet(string $key): bool
    {
        return $this->config->isExplicitlySet($this->name, self::snake($key));
    }

    /** No values (secrets included) in var_dump() or print_r(). */
    public function __debugInfo(): array
    {
        return ['section' => $this->name];
    }

    private static function snake(string $name): string
    {
        return strtolower((string) preg_replace('/(?<=[a-z0-9])([A-Z])/', '_$1', $name));
    }
}
