<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

/** cloudinary_php's `Cloudinary\Asset\Image`: An image, built with fromParams(). */
class Image extends BaseMediaAsset
{
    protected const ASSET_TYPE = 'image';
}
