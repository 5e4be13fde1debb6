<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\GeneralError`: the API answered HTTP 500. */
class GeneralError extends ApiError
{
}
