<?php

declare(strict_types=1);

namespace CldKit;

/**
 * A failed upload or Admin API call (FFI implementation; the extension defines the
 * same class): getKind() is bad_request, authorization, not_allowed, not_found,
 * already_exists, rate_limited, server_error, timeout, network, response or io;
 * getHttpStatus(), getRequestId() and getResetAt() give the details when known.
 */
class ApiException extends Exception
{
}
