<?php

declare(strict_types=1);

namespace CldKit\Compat\Tag;

use CldKit\Client;

/** cloudinary_php's `Cloudinary\Tag\ImageTag`: an `<img>` tag, built with fromParams(). */
class ImageTag extends BaseTag
{
    protected static function render(Client $client, string $source, array $params): string
    {
        return $client->imageTag($source, $params);
    }
}
