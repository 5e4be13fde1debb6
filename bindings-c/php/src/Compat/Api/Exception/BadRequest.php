<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\BadRequest`: the API answered HTTP 400. */
class BadRequest extends ApiError
{
}
