<?php

declare(strict_types=1);

namespace CldKit\Compat\Tag;

/**
 * cloudinary_php's `Cloudinary\Tag\VideoThumbnailTag`: the `<img>` tag of a video's
 * thumbnail, an ImageTag whose resource_type defaults to video and format to jpg.
 */
class VideoThumbnailTag extends ImageTag
{
    protected static function defaults(array $params): array
    {
        return $params + ['resource_type' => 'video', 'format' => 'jpg'];
    }
}
