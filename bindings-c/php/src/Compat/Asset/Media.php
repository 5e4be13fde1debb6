<?php

declare(strict_types=1);

namespace CldKit\Compat\Asset;

/** cloudinary_php's `Cloudinary\Asset\Media`: null:Any media asset (the resource type its params give), built with fromParams(). */
class Media extends BaseMediaAsset
{
    protected const ASSET_TYPE = null;
}
