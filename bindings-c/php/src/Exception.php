<?php

declare(strict_types=1);

namespace CldKit;

/**
 * A failed cldkit call (FFI implementation; the extension defines the same class).
 *
 * getCode() is the C ABI's CldkitStatus (1 invalid_option, 2 config, 3 signature,
 * 4 invalid_argument, 5 internal, and for API calls 6 bad_request, 7 authorization,
 * 8 not_allowed, 9 not_found, 10 already_exists, 11 rate_limited, 12 server_error,
 * 13 timeout, 14 network, 15 response, 16 io) and getKind() its stable name. API
 * failures are thrown as the subclass ApiException, with the HTTP status, the
 * request id and the rate-limit reset time when known.
 */
class Exception extends \RuntimeException
{
    /** The status name (see cldkit_status_name). */
    protected string $kind = '';

    /** The HTTP status of a failed API call. */
    protected ?int $httpStatus = null;

    /** The X-Request-Id of a failed API call. */
    protected ?string $requestId = null;

    /** When rate limited: the Unix time the limit resets. */
    protected ?int $resetAt = null;

    public function __construct(string $message, int $code, string $kind, ?int $httpStatus = null,
                                ?string $requestId = null, ?int $resetAt = null)
    {
        parent::__construct($message, $code);
        $this->kind = $kind;
        $this->httpStatus = $httpStatus;
        $this->requestId = $requestId;
        $this->resetAt = $resetAt;
    }

    /** The HTTP status of a failed API call, else null. */
    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    /** The X-Request-Id of a failed API call (for Cloudinary support), else null. */
    public function getRequestId(): ?string
    {
        return $this->requestId;
    }

    /** When rate limited: the Unix time the limit resets, if the server said. */
    public function getResetAt(): ?int
    {
        return $this->resetAt;
    }

    /** The stable error code name (the core's code for codes 1 to 3). */
    public function getKind(): string
    {
        return $this->kind;
    }
}
