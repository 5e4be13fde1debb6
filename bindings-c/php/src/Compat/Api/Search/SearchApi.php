<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Search;

use CldKit\Client;
use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's `Cloudinary\Api\Search\SearchApi`: a query built fluently
 * (`->expression('tags=cat')->sortBy('public_id', 'asc')->maxResults(10)`) and sent
 * with execute(), through the core's search call in the `php` profile.
 */
class SearchApi
{
    /** The catalogue's call that runs the query. */
    protected const CALL = 'search';

    private const UNIQUE = ['sort_by', 'aggregate', 'with_field', 'fields'];

    private Configuration $configuration;

    /** @var array<string, mixed> */
    private array $query = [];

    /** @param Configuration|array<string, mixed>|string|null $configuration null: the global configuration */
    public function __construct(#[\SensitiveParameter] mixed $configuration = null)
    {
        $this->configuration = Engine::configuration($configuration);
    }

    /** The search expression (e.g. `resource_type:image AND tags=kitten`). */
    public function expression(mixed $value): static
    {
        $this->query['expression'] = $value;
        return $this;
    }

    public function maxResults(int $value): static
    {
        $this->query['max_results'] = $value;
        return $this;
    }

    public function nextCursor(string $value): static
    {
        $this->query['next_cursor'] = $value;
        return $this;
    }

    /** Sorts by $fieldName, `asc` or `desc` (each field once, in the order first given). */
    public function sortBy(string $fieldName, string $dir = 'desc'): static
    {
        $this->query['sort_by'][$fieldName] = [$fieldName => $dir];
        return $this;
    }

    public function aggregate(string $value): static
    {
        $this->query['aggregate'][$value] = $value;
        return $this;
    }

    public function withField(string $value): static
    {
        $this->query['with_field'][$value] = $value;
        return $this;
    }

    /** @param list<string>|string $fields the fields each resource carries */
    public function fields(array|string $fields): static
    {
        foreach ((array) $fields as $field) {
            $this->query['fields'][$field] = $field;
        }
        return $this;
    }

    /** Replaces the whole query. */
    public function query(array $query): static
    {
        $this->query = $query;
        return $this;
    }

    /** The query as the request body: empty entries left out, lists without their keys. */
    public function asArray(): array
    {
        $out = [];
        foreach ($this->query as $key => $value) {
            if (is_array($value) ? $value === [] : $value == null) {
                continue;
            }
            $out[$key] = in_array($key, self::UNIQUE, true) && is_array($value) ? array_values($value) : $value;
        }
        return $out;
    }

    public function jsonSerialize(): array
    {
        return $this->asArray();
    }

    /** Runs the query: its expression as the call's argument, the rest as its options. */
    public function execute(): ApiResponse
    {
        $query = $this->asArray();
        $expression = $query['expression'] ?? null;
        unset($query['expression']);
        return Engine::api($this->configuration,
            static fn (Client $c) => $c->call(static::CALL, ['expression' => $expression], $query));
    }
}
