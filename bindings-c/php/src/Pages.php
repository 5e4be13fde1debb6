<?php

declare(strict_types=1);

namespace CldKit;

use FFI;
use FFI\CData;

/**
 * The pages of an Admin list call (Client::adminPages()), fetched one by one as the
 * iteration advances, following next_cursor. Iterate once; a failure throws and ends
 * the pages. (FFI implementation; the extension defines the same class.)
 *
 * @implements \Iterator<int, array>
 */
final class Pages implements \Iterator
{
    private ?array $current = null;
    private int $index = -1;
    private bool $started = false;

    /** @internal Created by Client::adminPages(). */
    public function __construct(private FFI $ffi, private ?CData $handle, private \Closure $check)
    {
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $this->ffi->cldkit_pages_free($this->handle);
            $this->handle = null;
        }
    }

    public function __clone()
    {
        $this->handle = null;
        throw new \Error('Trying to clone an uncloneable object of class CldKit\\Pages');
    }

    public function rewind(): void
    {
        if (!$this->started) {
            $this->fetch();
        }
    }

    public function valid(): bool
    {
        if (!$this->started) {
            $this->fetch();
        }
        return $this->current !== null;
    }

    public function current(): mixed
    {
        if (!$this->started) {
            $this->fetch();
        }
        return $this->current;
    }

    public function key(): mixed
    {
        return $this->current === null ? null : $this->index;
    }

    public function next(): void
    {
        $this->fetch();
    }

    private function fetch(): void
    {
        $this->started = true;
        $this->current = null;
        if ($this->handle === null) {
            return;
        }
        $out = $this->ffi->new('char*');
        $err = $this->ffi->new('char*');
        $status = $this->ffi->cldkit_pages_next($this->handle, FFI::addr($out), FFI::addr($err));
        ($this->check)($status, $err);
        if (FFI::isNull($out)) {
            return;
        }
        $text = FFI::string($out);
        $this->ffi->cldkit_string_free($out);
        FFI::memset(FFI::addr($out), 0, FFI::sizeof($out));
        $this->current = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        $this->index++;
    }
}
