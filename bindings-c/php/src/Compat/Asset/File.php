<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

/** cloudinary_php's `Cloudinary\Asset\File`: A raw file, built with fromParams(). */
class File extends BaseMediaAsset
{
    protected const ASSET_TYPE = 'raw';
}
