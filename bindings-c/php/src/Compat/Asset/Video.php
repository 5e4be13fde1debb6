<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

/** cloudinary_php's `Cloudinary\Asset\Video`: A video, built with fromParams(). */
class Video extends BaseMediaAsset
{
    protected const ASSET_TYPE = 'video';
}
