<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\AlreadyExists`: the API answered HTTP 409. */
class AlreadyExists extends ApiError
{
}
