<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's media assets as plugins build them from params:
 * `Media::fromParams($source, $params)->toUrl()` (or the asset as a string). The URL
 * is the core's in the `php` profile with the global configuration, `secure` and
 * `analytics` false unless the configuration sets them (the SDK's v1 defaults), and
 * $params (transformation and URL options, snake_case as in the SDK) over both.
 */
abstract class BaseMediaAsset implements \Stringable
{
    /** The resource_type this class sets when $params has none (null: the SDK's default). */
    protected const ASSET_TYPE = null;

    /** @param array<string, mixed> $params */
    final protected function __construct(
        private string $source,
        private array $params,
        private Configuration $configuration,
    ) {
    }

    /**
     * The asset of $source (a public id, or a remote URL for the fetch type) with
     * $params: transformation parameters (`width`, `crop`, `transformation`, ...),
     * delivery options (`type`, `resource_type`, `format`, `version`, `sign_url`, ...)
     * and configuration overrides (`cloud_name`, `secure`, ...).
     *
     * @param array<string, mixed> $params
     */
    public static function fromParams(string $source, array $params = []): static
    {
        if (static::ASSET_TYPE !== null && !array_key_exists('resource_type', $params)) {
            $params['resource_type'] = static::ASSET_TYPE;
        }
        $configuration = Configuration::instance();
        $defaults = [];
        foreach (['secure', 'analytics'] as $key) {
            if (!$configuration->isExplicitlySet('url', $key)) {
                $defaults[$key] = false;
            }
        }
        return new static($source, $params + $defaults, $configuration);
    }

    /** The delivery URL. */
    public function toUrl(): DeliveryUrl
    {
        return new DeliveryUrl(Engine::local(fn () => $this->configuration->client()->url($this->source, $this->params)));
    }

    public function __toString(): string
    {
        return (string) $this->toUrl();
    }
}
