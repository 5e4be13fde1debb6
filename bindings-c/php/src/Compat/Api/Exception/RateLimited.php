<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\RateLimited`: the API answered HTTP 420 or 429. */
class RateLimited extends ApiError
{
}
