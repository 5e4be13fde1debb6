<?php

declare(strict_types=1);

namespace CldKit\Compat;

use CldKit\Compat\Api\Admin\AdminApi;
use CldKit\Compat\Api\Search\SearchApi;
use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Configuration\Configuration;

/**
 * cloudinary_php's `Cloudinary\Cloudinary` entry point: a configuration (the global
 * one when none is given) and the API classes that use it.
 */
class Cloudinary
{
    public Configuration $configuration;

    /** @param Configuration|array<string, mixed>|string|null $config */
    public function __construct(#[\SensitiveParameter] Configuration|array|string|null $config = null)
    {
        $this->configuration = $config === null ? Configuration::instance()
            : ($config instanceof Configuration ? $config : new Configuration($config));
    }

    public function uploadApi(): UploadApi
    {
        return new UploadApi($this->configuration);
    }

    public function adminApi(): AdminApi
    {
        return new AdminApi($this->configuration);
    }

    public function searchApi(): SearchApi
    {
        return new SearchApi($this->configuration);
    }
}
