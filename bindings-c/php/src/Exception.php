<?php

declare(strict_types=1);

namespace CldKit;

/**
 * A failed cldkit call (FFI implementation; the extension defines the same class).
 *
 * getCode() is the C ABI's CldkitStatus (1 invalid_option, 2 config, 3 signature,
 * 4 invalid_argument, 5 internal) and getKind() its stable name.
 */
class Exception extends \RuntimeException
{
    /** The status name: invalid_option, config, signature, invalid_argument or internal. */
    protected string $kind = '';

    public function __construct(string $message, int $code, string $kind)
    {
        parent::__construct($message, $code);
        $this->kind = $kind;
    }

    /** The stable error code name (the core's code for codes 1 to 3). */
    public function getKind(): string
    {
        return $this->kind;
    }
}
