<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Exception;

use CldKit\Compat\Exception\Error;

/**
 * cloudinary_php's `Cloudinary\Api\Exception\ApiError`: a failed API call. The
 * subclass names the failure (BadRequest 400, AuthorizationRequired 401, NotAllowed
 * 403, NotFound 404, AlreadyExists 409, RateLimited 420/429, GeneralError for server
 * errors; ApiError itself for timeouts, network and response errors); the code is the
 * HTTP status (0 without an answer) and the previous exception is cldkit's
 * {@see \CldKit\Exception}.
 */
class ApiError extends Error
{
    /** The exception class cloudinary_php throws for a cldkit error kind. */
    public static function classFor(string $kind): string
    {
        return match ($kind) {
            'bad_request' => BadRequest::class,
            'authorization' => AuthorizationRequired::class,
            'not_allowed' => NotAllowed::class,
            'not_found' => NotFound::class,
            'already_exists' => AlreadyExists::class,
            'rate_limited' => RateLimited::class,
            'server_error' => GeneralError::class,
            default => self::class,
        };
    }
}
