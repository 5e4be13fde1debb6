<?php

declare(strict_types=1);

namespace CldKit\Compat\Tag;

use CldKit\Client;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's HTML tags as plugins build them from params (`ImageTag::fromParams`,
 * `VideoTag::fromParams`, `VideoThumbnailTag::fromParams`): the tag is the core's in the
 * `php` profile (single quotes, sorted attributes, as the SDK's fromParams renders it),
 * as a string or through toTag()/serialize().
 */
abstract class BaseTag implements \Stringable
{
    /** @param array<string, mixed> $params */
    final protected function __construct(
        private string $source,
        private array $params,
        private Configuration $configuration,
    ) {
    }

    /**
     * The tag of $source with $params: transformation, delivery and configuration
     * options as for Media::fromParams, plus the tag's own (`attributes`, `srcset`,
     * `sizes`, `responsive`, `sources`, `source_types`, `poster`, `fallback_content`, ...).
     *
     * @param array<string, mixed> $params
     */
    public static function fromParams(string $source, array $params = []): static
    {
        return new static($source, static::defaults($params), Configuration::instance());
    }

    /**
     * $params with the defaults this tag adds.
     *
     * @param array<string, mixed> $params
     * @return array<string, mixed>
     */
    protected static function defaults(array $params): array
    {
        return $params;
    }

    /**
     * The tag's HTML from the core.
     *
     * @param array<string, mixed> $params
     */
    abstract protected static function render(Client $client, string $source, array $params): string;

    /** The tag's HTML. */
    public function toTag(): string
    {
        return Engine::local(fn () => static::render($this->configuration->client(), $this->source, $this->params));
    }

    /** The tag's HTML (cloudinary_php's serialize()). */
    public function serialize(): string
    {
        return $this->toTag();
    }

    public function __toString(): string
    {
        return $this->toTag();
    }
}
