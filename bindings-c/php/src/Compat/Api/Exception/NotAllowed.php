<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

/** cloudinary_php's `Cloudinary\Api\Exception\NotAllowed`: the API answered HTTP 403. */
class NotAllowed extends ApiError
{
}
