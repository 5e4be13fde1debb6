<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\NotFound`: the API answered HTTP 404. */
class NotFound extends ApiError
{
}
