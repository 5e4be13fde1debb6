<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

/**
 * What cloudinary_php's `toUrl()` returns (a PSR-7 URI): the URL as a string, and its
 * parts as the URI's getters read them.
 */
final class DeliveryUrl implements \Stringable
{
    /** @var array<string, int|string> */
    private array $parts;

    public function __construct(private string $url)
    {
        $this->parts = parse_url($url) ?: [];
    }

    public function __toString(): string
    {
        return $this->url;
    }

    public function getScheme(): string
    {
        return (string) ($this->parts['scheme'] ?? '');
    }

    public function getHost(): string
    {
        return (string) ($this->parts['host'] ?? '');
    }

    public function getPort(): ?int
    {
        return isset($this->parts['port']) ? (int) $this->parts['port'] : null;
    }

    public function getPath(): string
    {
        return (string) ($this->parts['path'] ?? '');
    }

    public function getQuery(): string
    {
        return (string) ($this->parts['query'] ?? '');
    }

    public function getFragment(): string
    {
        return (string) ($this->parts['fragment'] ?? '');
    }
}
