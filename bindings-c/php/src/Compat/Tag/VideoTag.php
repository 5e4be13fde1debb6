<?php

declare(strict_types=1);

namespace CldKit\Compat\Tag;

use CldKit\Client;

/**
 * cloudinary_php's `Cloudinary\Tag\VideoTag`: a `<video>` tag with its poster and
 * `<source>` tags, built with fromParams().
 */
class VideoTag extends BaseTag
{
    protected static function render(Client $client, string $source, array $params): string
    {
        return $client->videoTag($source, $params);
    }
}
