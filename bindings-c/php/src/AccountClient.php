<?php

declare(strict_types=1);

namespace CldKit;

use FFI;
use FFI\CData;

/**
 * CldKit\AccountClient over ext-ffi and libcldkit.so: a client of the Provisioning
 * (account) API — product environments (sub-accounts), users, user groups and access
 * keys — with the same API as the cldkit extension's class. It loads the library as
 * CldKit\Client does (see there).
 *
 * The handle is immutable; nothing of the account URL (the provisioning secret)
 * shows in var_dump(), print_r() or exception traces.
 */
final class AccountClient
{
    /** One method per Provisioning API row (generated: src/AccountCalls.php). */
    use AccountCalls;

    private ?CData $handle = null;

    /**
     * @param string|null $url a CLOUDINARY_ACCOUNT_URL (account://key:secret@account_id);
     *                         null reads the CLOUDINARY_ACCOUNT_URL environment variable.
     * @throws Exception when the URL is missing or malformed, or the client is already constructed.
     */
    public function __construct(#[\SensitiveParameter] ?string $url = null)
    {
        if ($this->handle !== null) {
            throw new Exception('CldKit\\AccountClient is already constructed: create a new client instead', 4, 'invalid_argument');
        }
        $this->handle = self::plumbing(static function (FFI $f) use ($url): CData {
            if ($url !== null) {
                self::checkText($url, 'account_url');
            }
            $out = $f->new('CldkitAccount*');
            $err = $f->new('char*');
            $status = $f->cldkit_account_new($url, FFI::addr($out), FFI::addr($err));
            self::check($status, $err);
            return $out;
        });
    }

    /** Nothing of the configuration (secrets included) shows in var_dump() or print_r(). */
    public function __debugInfo(): array
    {
        return [];
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            self::plumbing(static fn (FFI $f) => $f->cldkit_account_free($handle));
        }
    }

    public function __clone()
    {
        // The copy must not free the original's handle when it is destroyed.
        $this->handle = null;
        throw new \Error('Trying to clone an uncloneable object of class CldKit\\AccountClient');
    }

    /**
     * Runs any Provisioning API row of the call catalogue (`cldkit calls --json`) by its
     * SDK name, with its parameters by name in $args and the SDK's keyword options; the
     * decoded answer.
     *
     * @param array<string, mixed> $args
     * @param array<string, mixed> $options
     */
    public function call(string $name, array $args = [], array $options = []): mixed
    {
        $handle = $this->handle;
        return self::plumbing(static function (FFI $f) use ($handle, $name, $args, $options): mixed {
            self::checkText($name, 'name');
            $a = self::encode($args);
            $o = self::encode($options);
            $out = $f->new('char*');
            $err = $f->new('char*');
            $status = $f->cldkit_account_call($handle, $name, $a, $o, FFI::addr($out), FFI::addr($err));
            self::checkApi($status, $err);
            $text = FFI::string($out);
            self::release($out);
            return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        });
    }

    /**
     * Runs $body with the FFI instance in CldKit\Client's scope, so that it uses the
     * one loaded library and Client's private helpers (encode, checks, errors).
     */
    private static function plumbing(#[\SensitiveParameter] callable $body): mixed
    {
        $run = \Closure::bind(static fn (callable $body): mixed => $body(self::ffi()), null, Client::class);
        return $run(\Closure::bind(\Closure::fromCallable($body), null, Client::class));
    }
}
