<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\AuthorizationRequired`: the API answered HTTP 401. */
class AuthorizationRequired extends ApiError
{
}
