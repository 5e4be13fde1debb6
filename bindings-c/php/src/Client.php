<?php

declare(strict_types=1);

namespace CldKit;

use FFI;
use FFI\CData;

/**
 * CldKit\Client over ext-ffi and libcldkit.so: the same API as the cldkit extension,
 * for hosts where FFI is allowed but extensions are not.
 *
 * The library is, in this order: the file the CLDKIT_LIBRARY environment variable
 * names; the one the Composer package carries for this machine
 * (lib/<arch>-linux-gnu/libcldkit.so, lib/<arch>-linux-musl/libcldkit.so or
 * lib/<arch>-apple-darwin/libcldkit.dylib beside src/); else libcldkit.so from the
 * dynamic loader's search path. The declarations are read from CLDKIT_HEADER, else
 * from the first cldkit.h found next to the library (<prefix>/include/cldkit.h), in
 * the package (include/cldkit.h), in the repository (include/cldkit.h), then in
 * /usr/local/include and /usr/include.
 *
 * Options are PHP arrays; they cross as JSON (json_encode with
 * JSON_PRESERVE_ZERO_FRACTION, so 2.0 stays a float and key order is kept).
 * Handles are immutable: with*() methods return new clients.
 */
final class Client
{
    /** One method per catalogue row (generated: src/ClientCalls.php). */
    use ClientCalls;

    private static ?FFI $ffi = null;

    /**
     * Uploads (CldkitUpload*) and syncs (CldkitSync*) under way, by number, with the
     * function that releases each: what a fatal error or exit() in a progress callable
     * leaves running is stopped and released at shutdown.
     *
     * @var array<int, array{string, CData}>
     */
    private static array $running = [];

    private static int $uploads = 0;

    private ?CData $handle = null;

    /**
     * @param array<string, mixed> $config SDK settings (cloud_name, api_key, ...); "profile" selects default/python/node.
     * @throws Exception (invalid_argument) when the client is already constructed: a client is immutable.
     */
    public function __construct(#[\SensitiveParameter] array $config)
    {
        if ($this->handle !== null) {
            throw new Exception('CldKit\\Client is already constructed: create a new client instead', 4, 'invalid_argument');
        }
        $this->handle = self::newHandle(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_client_new(self::encode($config), FFI::addr($out), FFI::addr($err)));
    }

    /** Nothing of the configuration (secrets included) shows in var_dump() or print_r(). */
    public function __debugInfo(): array
    {
        return [];
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            self::ffi()->cldkit_client_free($this->handle);
            $this->handle = null;
        }
    }

    public function __clone()
    {
        // The copy must not free the original's handle when it is destroyed.
        $this->handle = null;
        throw new \Error('Trying to clone an uncloneable object of class CldKit\\Client');
    }

    /** A client configured from a CLOUDINARY_URL. */
    public static function fromUrl(#[\SensitiveParameter] string $cloudinaryUrl): static
    {
        self::checkText($cloudinaryUrl, 'cloudinary_url');
        return self::wrap(self::newHandle(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_client_from_url($cloudinaryUrl, FFI::addr($out), FFI::addr($err))));
    }

    /** A client configured from CLOUDINARY_* environment variables or CLOUDINARY_URL. */
    public static function fromEnv(): static
    {
        return self::wrap(self::newHandle(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_client_from_env(FFI::addr($out), FFI::addr($err))));
    }

    /** This client in another compatibility profile ("default", "python", "node" or "php"). */
    public function withProfile(string $profile): static
    {
        self::checkText($profile, 'profile');
        return self::wrap(self::newHandle(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_client_with_profile($this->handle, $profile, FFI::addr($out), FFI::addr($err))));
    }

    /** This client with its clock fixed at $unixSeconds. */
    public function withFixedTime(int $unixSeconds): static
    {
        return self::wrap(self::newHandle(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_client_with_fixed_time($this->handle, $unixSeconds, FFI::addr($out), FFI::addr($err))));
    }

    /** The delivery URL of $source (a public id or remote URL). */
    public function url(string $source, array $options = []): string
    {
        self::checkText($source, 'source');
        $o = self::encode($options);
        return $this->textCall(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_url($this->handle, $source, $o, FFI::addr($out), FFI::addr($err)));
    }

    /** Like url() for a source of any type, as the SDK accepts it (null gives null). */
    public function urlValue(mixed $source, array $options = []): mixed
    {
        $s = self::encode($source);
        $o = self::encode($options);
        return $this->jsonCall(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_url_value($this->handle, $s, $o, FFI::addr($out), FFI::addr($err)));
    }

    /** The URL of a video's poster image. */
    public function videoThumbnailUrl(string $publicId, array $options = []): string
    {
        return $this->textOptions('cldkit_video_thumbnail_url', $publicId, 'public_id', $options);
    }

    /** The Upload/Admin API endpoint for $action. */
    public function apiUrl(string $action, array $options = []): string
    {
        return $this->textOptions('cldkit_api_url', $action, 'action', $options);
    }

    /**
     * An Akamai auth token from $options merged over the configured auth_token; null in
     * the php profile when no key is set (as cloudinary_php's AuthToken::generate).
     */
    public function authToken(array $options = []): ?string
    {
        return $this->optionsCall('cldkit_auth_token', $options, false);
    }

    /** The <img> tag of $publicId. */
    public function imageTag(string $publicId, array $options = []): string
    {
        return $this->textOptions('cldkit_image_tag', $publicId, 'public_id', $options);
    }

    /** The <video> tag of $publicId. */
    public function videoTag(string $publicId, array $options = []): string
    {
        return $this->textOptions('cldkit_video_tag', $publicId, 'public_id', $options);
    }

    /** The <picture> tag of $publicId. */
    public function pictureTag(string $publicId, array $options = []): string
    {
        return $this->textOptions('cldkit_picture_tag', $publicId, 'public_id', $options);
    }

    /** pycloudinary's api_sign_request. */
    public static function apiSignRequest(array $params, #[\SensitiveParameter] string $apiSecret, string $algorithm = 'sha1', int $signatureVersion = 2): string
    {
        self::checkText($apiSecret, 'api_secret');
        self::checkText($algorithm, 'algorithm');
        if ($signatureVersion < 0 || $signatureVersion > 0xFFFFFFFF) {
            throw new Exception('`signature_version` is out of range', 4, 'invalid_argument');
        }
        $p = self::encode($params);
        return self::invoke(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_api_sign_request($p, $apiSecret, $algorithm, $signatureVersion, FFI::addr($out), FFI::addr($err)), false);
    }

    /** Verifies a webhook (raw body, X-Cld-Timestamp, X-Cld-Signature; $validFor defaults to 7200 s). */
    public function verifyNotification(string $body, mixed $timestamp, string $signature, ?float $validFor = null, array $options = []): bool
    {
        self::checkText($signature, 'signature');
        $ts = self::encode($timestamp);
        $f = self::ffi();
        $valid = $f->new('bool');
        $err = $f->new('char*');
        $buf = null;
        $len = strlen($body);
        if ($len > 0) {
            $buf = $f->new("uint8_t[$len]");
            FFI::memcpy($buf, $body, $len);
        }
        $status = $f->cldkit_verify_notification($this->handle, $buf, $len, $ts, $signature,
            $validFor !== null, $validFor ?? 0.0, FFI::addr($valid), FFI::addr($err));
        self::check($status, $err);
        return $valid->cdata;
    }

    /** Verifies the signature of an upload result. */
    public function verifyApiResponse(mixed $publicId, mixed $version, string $signature, array $options = []): bool
    {
        self::checkText($signature, 'signature');
        $id = self::encode($publicId);
        $ver = self::encode($version);
        $f = self::ffi();
        $valid = $f->new('bool');
        $err = $f->new('char*');
        $status = $f->cldkit_verify_api_response($this->handle, $id, $ver, $signature, FFI::addr($valid), FFI::addr($err));
        self::check($status, $err);
        return $valid->cdata;
    }

    /** The upload parameters $options produce (after cleanup). */
    public function uploadParams(array $options = []): array
    {
        return $this->optionsCall('cldkit_upload_params', $options, true);
    }

    /** The signed upload request for $file: {url, fields: [[name, value], ...], file, authorization}. */
    public function uploadForm(string $file, array $options = []): array
    {
        return $this->textOptions('cldkit_upload_form', $file, 'file', $options, true);
    }

    /** Any Upload API call by its SDK name, positional arguments by name in $args. */
    public function uploadApiCall(string $method, array $args = [], array $options = []): array
    {
        self::checkText($method, 'method');
        $a = self::encode($args);
        $o = self::encode($options);
        return $this->jsonCall(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_upload_api_call($this->handle, $method, $a, $o, FFI::addr($out), FFI::addr($err)));
    }

    /** The signed URL that downloads a private or authenticated asset. */
    public function privateDownloadUrl(mixed $publicId, mixed $format, array $options = []): string
    {
        return $this->values('cldkit_private_download_url', [$publicId, $format], $options);
    }

    /** The signed URL that generates and downloads an archive. */
    public function downloadArchiveUrl(array $options = []): string
    {
        return $this->optionsCall('cldkit_download_archive_url', $options, false);
    }

    /** downloadArchiveUrl() as a ZIP. */
    public function downloadZipUrl(array $options = []): string
    {
        return $this->optionsCall('cldkit_download_zip_url', $options, false);
    }

    /** The signed URL that downloads a folder as an archive. */
    public function downloadFolder(mixed $folderPath, array $options = []): string
    {
        return $this->values('cldkit_download_folder', [$folderPath], $options);
    }

    /** The signed URL that downloads a backed-up version of an asset. */
    public function downloadBackedupAsset(mixed $assetId, mixed $versionId, array $options = []): string
    {
        return $this->values('cldkit_download_backedup_asset', [$assetId, $versionId], $options);
    }

    /** The legacy signed URL that downloads every asset with $tag as a ZIP. */
    public function zipDownloadUrl(mixed $tag, array $options = []): string
    {
        return $this->values('cldkit_zip_download_url', [$tag], $options);
    }

    /** The signed URL that generates and downloads a sprite from a tag or URLs. */
    public function downloadGeneratedSprite(mixed $tag = null, mixed $urls = null, array $options = []): string
    {
        return $this->values('cldkit_download_generated_sprite', [$tag, $urls], $options);
    }

    /** The signed URL that generates and downloads a multi-page file from a tag or URLs. */
    public function downloadMulti(mixed $tag = null, mixed $urls = null, array $options = []): string
    {
        return $this->values('cldkit_download_multi', [$tag, $urls], $options);
    }

    /**
     * The settings a CLOUDINARY_URL (or, with $account, a CLOUDINARY_ACCOUNT_URL) holds,
     * as the SDK of $profile ("default", "python", "node" or "php"; null is "default") parses it.
     */
    public static function parseCloudinaryUrl(
        #[\SensitiveParameter] string $url,
        bool $account = false,
        ?string $profile = null,
    ): array {
        self::checkText($url, 'url');
        if ($profile !== null) {
            self::checkText($profile, 'profile');
        }
        return self::invoke(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_parse_settings_url($url, $account, $profile, FFI::addr($out), FFI::addr($err)), true);
    }

    // ---- uploads and the Admin API (HTTP, blocking) ---------------------------------

    /**
     * Uploads $file: a local path (sent in chunks above the chunk size) or a remote URL
     * or data URI Cloudinary fetches. $progress is called as fn(int $done, ?int $total)
     * on this thread while the upload runs; what it throws stops the upload and is
     * rethrown.
     */
    public function upload(string $file, array $options = [], ?callable $progress = null): array
    {
        self::checkText($file, 'file');
        $o = self::encode($options);
        if ($progress === null) {
            return $this->api(fn (FFI $f, CData $out, CData $err) =>
                $f->cldkit_upload($this->handle, $file, $o, null, null, FFI::addr($out), FFI::addr($err)));
        }
        return self::follow(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_upload_start($this->handle, $file, $o, FFI::addr($out), FFI::addr($err)), $progress);
    }

    /** Uploads the bytes of $data under $filename (default: the `filename` option, else "file"). */
    public function uploadBytes(string $data, array $options = [], ?string $filename = null, ?callable $progress = null): array
    {
        if ($filename !== null) {
            self::checkText($filename, 'filename');
        }
        $o = self::encode($options);
        $f = self::ffi();
        $len = strlen($data);
        $buf = null;
        if ($len > 0) {
            $buf = $f->new("uint8_t[$len]", false);
            FFI::memcpy($buf, $data, $len);
        }
        try {
            if ($progress === null) {
                return $this->api(fn (FFI $f, CData $out, CData $err) =>
                    $f->cldkit_upload_bytes($this->handle, $buf, $len, $filename, $o, null, null,
                        FFI::addr($out), FFI::addr($err)));
            }
            // The data is copied when the upload starts: $buf is released at once.
            $start = function (FFI $f, CData $out, CData $err) use (&$buf, $len, $filename, $o): int {
                try {
                    return $f->cldkit_upload_bytes_start($this->handle, $buf, $len, $filename, $o,
                        FFI::addr($out), FFI::addr($err));
                } finally {
                    if ($buf !== null) {
                        FFI::free($buf);
                        $buf = null;
                    }
                }
            };
            return self::follow($start, $progress);
        } finally {
            if ($buf !== null) {
                FFI::free($buf);
            }
        }
    }

    /**
     * Syncs an inventory with a Cloudinary folder and returns the report (the `sync`
     * row; see docs/sync.md): $inventory is a directory path or a list of items (`id`,
     * `public_id`, `path` | `url` | `data`, `hash`, `size`, `mtime`), $options the sync
     * options (`folder`, `tag`, `mode`, `delete`, `dry_run`, `concurrency`, `journal`,
     * `partition`, ...). $progress is called as fn(array $event) after each finished
     * action, with `done`, `total`, `public_id`, `action` and `ok`, in order, on this
     * thread, all before sync() returns; what it throws stops the sync and is rethrown.
     *
     * @param array<string, mixed> $options
     * @return array<string, mixed> the report
     * @throws Exception on failure (a subclass per error kind)
     */
    public function sync(mixed $inventory, array $options = [], ?callable $progress = null): array
    {
        if ($progress === null) {
            return $this->call('sync', ['inventory' => $inventory], $options);
        }
        $a = self::encode(['inventory' => $inventory]);
        $o = self::encode($options);
        $f = self::ffi();
        $sync = $f->new('CldkitSync*');
        $err = $f->new('char*');
        self::checkApi($f->cldkit_sync_start($this->handle, $a, $o, FFI::addr($sync), FFI::addr($err)), $err);
        $id = ++self::$uploads;
        self::$running[$id] = ['cldkit_sync_free', $sync];
        try {
            $event = $f->new('CldkitSyncEvent');
            $json = $f->new('char*');
            do {
                $status = $f->cldkit_sync_wait($sync, 250, FFI::addr($event), FFI::addr($json));
                if ($status !== 0) {
                    throw new Exception('cldkit_sync_wait failed', $status, (string) $f->cldkit_status_name($status));
                }
                if ($event->cdata === $f->CLDKIT_SYNC_PROGRESS) {
                    $text = FFI::string($json);
                    self::release($json);
                    try {
                        $progress(json_decode($text, true, 512, JSON_THROW_ON_ERROR));
                    } catch (\Throwable $t) {
                        // Stopped: the report is not taken; the handle is released below.
                        $f->cldkit_sync_stop($sync);
                        throw $t;
                    }
                }
            } while ($event->cdata !== $f->CLDKIT_SYNC_FINISHED);
            $out = $f->new('char*');
            self::checkApi($f->cldkit_sync_finish($sync, FFI::addr($out), FFI::addr($err)), $err);
            $text = FFI::string($out);
            self::release($out);
            return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        } finally {
            unset(self::$running[$id]);
            $f->cldkit_sync_free($sync);
        }
    }

    /** Sends any Upload API call by its SDK name, positional arguments by name in $args. */
    public function callUploadApi(string $method, array $args = [], array $options = []): array
    {
        return $this->byName('cldkit_call_upload_api', $method, 'method', $args, $options);
    }

    /** Calls the Admin API $call by its SDK name, positional arguments by name in $args. */
    public function admin(string $call, array $args = [], array $options = []): array
    {
        return $this->byName('cldkit_admin', $call, 'call', $args, $options);
    }

    /**
     * Runs any row of the call catalogue (`cldkit calls --json`) by its SDK name, with
     * its parameters by name in $args and the SDK's keyword options: a URL, HTML or
     * text row gives a string, a boolean row a bool, the others an array (API answers
     * with request_id and the rate-limit fields).
     *
     * @param array<string, mixed> $args
     * @param array<string, mixed> $options
     */
    public function call(string $name, array $args = [], array $options = []): mixed
    {
        self::checkText($name, 'name');
        $a = self::encode($args);
        $o = self::encode($options);
        return $this->api(fn (FFI $f, CData $out, CData $err) =>
            $f->cldkit_call($this->handle, $name, $a, $o, FFI::addr($out), FFI::addr($err)));
    }

    /** The pages of an Admin list call, following next_cursor (fetched as you iterate). */
    public function adminPages(string $call, array $args = [], array $options = []): Pages
    {
        self::checkText($call, 'call');
        $a = self::encode($args);
        $o = self::encode($options);
        $f = self::ffi();
        $out = $f->new('CldkitPages*');
        $err = $f->new('char*');
        $status = $f->cldkit_admin_pages($this->handle, $call, $a, $o, FFI::addr($out), FFI::addr($err));
        self::checkApi($status, $err);
        return new Pages($f, $out, self::checkApi(...));
    }

    // ---- plumbing ---------------------------------------------------------------

    /**
     * Runs an upload that $start starts (cldkit_upload_start / _bytes_start) to its
     * end, calling $progress on this thread between waits: PHP code never runs inside
     * a C callback, so a fatal error or exit() in $progress cannot jump across
     * libcldkit's frames. What $progress throws stops the upload and is rethrown. An
     * upload that a fatal error or exit() interrupts is stopped and released at
     * shutdown (see ffi()); the worker owns copies of what it uses, so destroying the
     * client meanwhile is safe.
     */
    private static function follow(#[\SensitiveParameter] callable $start, callable $progress): array
    {
        $f = self::ffi();
        $upload = $f->new('CldkitUpload*');
        $err = $f->new('char*');
        self::checkApi($start($f, $upload, $err), $err);
        $id = ++self::$uploads;
        self::$running[$id] = ['cldkit_upload_free', $upload];
        try {
            $event = $f->new('CldkitUploadEvent');
            $done = $f->new('uint64_t');
            $total = $f->new('uint64_t');
            $thrown = null;
            do {
                $status = $f->cldkit_upload_wait($upload, 250, FFI::addr($event), FFI::addr($done), FFI::addr($total));
                if ($status !== 0) {
                    throw new Exception('cldkit_upload_wait failed', $status, (string) $f->cldkit_status_name($status));
                }
                if ($event->cdata === $f->CLDKIT_UPLOAD_PROGRESS && $thrown === null) {
                    try {
                        // UINT64_MAX (an unknown total) reads as -1.
                        $progress($done->cdata, $total->cdata >= 0 ? $total->cdata : null);
                    } catch (\Throwable $t) {
                        $thrown = $t;
                        $f->cldkit_upload_stop($upload);
                    }
                }
            } while ($event->cdata !== $f->CLDKIT_UPLOAD_DONE);
            $out = $f->new('char*');
            $status = $f->cldkit_upload_finish($upload, FFI::addr($out), FFI::addr($err));
            if ($thrown !== null) {
                self::release($out);
                self::release($err);
                throw $thrown;
            }
            self::checkApi($status, $err);
            $text = FFI::string($out);
            self::release($out);
            return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        } finally {
            unset(self::$running[$id]);
            $f->cldkit_upload_free($upload);
        }
    }

    /**
     * Runs an HTTP call with a char* result: the decoded answer, or an exception from
     * the error JSON. (Closures passed to the plumbing below may hold secrets, hence
     * #[\SensitiveParameter]: exception traces must not show them.)
     */
    private function api(#[\SensitiveParameter] callable $call): mixed
    {
        $f = self::ffi();
        $out = $f->new('char*');
        $err = $f->new('char*');
        $status = $call($f, $out, $err);
        self::checkApi($status, $err);
        $text = FFI::string($out);
        self::release($out);
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    private function byName(string $fn, string $name, string $what, array $args, array $options): array
    {
        self::checkText($name, $what);
        $a = self::encode($args);
        $o = self::encode($options);
        return $this->api(fn (FFI $f, CData $out, CData $err) =>
            $f->$fn($this->handle, $name, $a, $o, FFI::addr($out), FFI::addr($err)));
    }

    /**
     * Frees a char* the library returned and sets the pointer to NULL: a freed string
     * must not stay reachable, since printing a trace that holds the CData (print_r
     * of an exception) reads the string it points to.
     */
    private static function release(CData $s): void
    {
        self::ffi()->cldkit_string_free($s);
        FFI::memset(FFI::addr($s), 0, FFI::sizeof($s));
    }

    /** Throws for a failed HTTP call from its error JSON, freeing it. */
    private static function checkApi(int $status, CData $err): void
    {
        if ($status === 0) {
            return;
        }
        $f = self::ffi();
        $kind = (string) $f->cldkit_status_name($status);
        $e = [];
        if (!FFI::isNull($err)) {
            $e = json_decode(FFI::string($err), true) ?: [];
            self::release($err);
        }
        $class = self::errorClass($status);
        throw new $class((string) ($e['message'] ?? $kind), $status, $kind,
            $e['http_status'] ?? null, $e['request_id'] ?? null, $e['reset_at'] ?? null);
    }


    /** The FFI instance (loaded once per process). */
    private static function ffi(): FFI
    {
        if (self::$ffi === null) {
            if (!class_exists(FFI::class, false)) {
                throw new Exception('CldKit\\Client needs the cldkit extension or ext-ffi; neither is loaded',
                    4, 'invalid_argument');
            }
            [$library, $header] = self::locate();
            try {
                self::$ffi = FFI::cdef(self::declarations((string) file_get_contents($header)), $library);
            } catch (\FFI\Exception $e) {
                throw new Exception("libcldkit could not be loaded from $library with $header ({$e->getMessage()}); "
                    . 'set CLDKIT_LIBRARY to the path of libcldkit.so, enable FFI (ffi.enable=1) or load the cldkit extension',
                    4, 'invalid_argument');
            }
            // After a fatal error or exit() in a progress callable (no finally block
            // runs), stop the uploads left running and wait for their threads.
            register_shutdown_function(static function (): void {
                foreach (self::$running as $id => [$free, $handle]) {
                    unset(self::$running[$id]);
                    self::$ffi?->$free($handle);
                }
            });
        }
        return self::$ffi;
    }

    /**
     * The library to load and the header that declares it (see the class comment).
     *
     * @return array{string, string}
     */
    private static function locate(): array
    {
        $package = dirname(__DIR__); // the Composer package's root (bindings-c/php in a checkout)
        $library = getenv('CLDKIT_LIBRARY') ?: self::bundledLibrary($package) ?? 'libcldkit.so';
        $candidates = array_filter([
            getenv('CLDKIT_HEADER') ?: null,
            str_contains($library, '/') ? dirname($library, 2) . '/include/cldkit.h' : null,
            $package . '/include/cldkit.h',
            dirname($package, 2) . '/include/cldkit.h',
            '/usr/local/include/cldkit.h',
            '/usr/include/cldkit.h',
        ]);
        foreach ($candidates as $candidate) {
            if (is_readable($candidate)) {
                return [$library, $candidate];
            }
        }
        throw new Exception('cldkit.h not found; set CLDKIT_HEADER', 4, 'invalid_argument');
    }

    /** The libcldkit the package carries for this OS, CPU and C library, if any. */
    private static function bundledLibrary(string $package): ?string
    {
        // php_uname() may be disabled (disable_functions): then posix_uname(), else none.
        $arch = match (true) {
            function_exists('php_uname') => php_uname('m'),
            function_exists('posix_uname') => (string) (posix_uname()['machine'] ?? ''),
            default => '',
        };
        $arch = ['arm64' => 'aarch64', 'amd64' => 'x86_64'][$arch] ?? $arch;
        if ($arch === '') {
            return null;
        }
        switch (PHP_OS_FAMILY) {
            case 'Linux':
                // The C library PHP itself runs on (musl: Alpine); glibc otherwise.
                $maps = @file_get_contents('/proc/self/maps');
                $libc = is_string($maps) && str_contains($maps, '/ld-musl-') ? 'musl' : 'gnu';
                $file = "lib/$arch-linux-$libc/libcldkit.so";
                break;
            case 'Darwin':
                $file = "lib/$arch-apple-darwin/libcldkit.dylib";
                break;
            default:
                return null;
        }
        return is_file("$package/$file") ? "$package/$file" : null;
    }

    /** The header without preprocessor lines and C++ guards (FFI::cdef takes plain C). */
    private static function declarations(string $header): string
    {
        $lines = [];
        foreach (explode("\n", $header) as $line) {
            $t = ltrim($line);
            if (str_starts_with($t, '#') || str_starts_with($t, 'extern "C"') || str_starts_with($t, '}  // extern')) {
                continue;
            }
            $lines[] = $line;
        }
        return implode("\n", $lines);
    }

    private static function wrap(CData $handle): static
    {
        $client = (new \ReflectionClass(static::class))->newInstanceWithoutConstructor();
        $client->handle = $handle;
        return $client;
    }

    /** Runs a constructor-like call and returns the new handle. */
    private static function newHandle(#[\SensitiveParameter] callable $call): CData
    {
        $f = self::ffi();
        $out = $f->new('CldkitClient*');
        $err = $f->new('char*');
        $status = $call($f, $out, $err);
        self::check($status, $err);
        return $out;
    }

    /** Throws for a failed status, freeing the message. */
    private static function check(int $status, CData $err): void
    {
        if ($status === 0) {
            return;
        }
        $f = self::ffi();
        $message = FFI::isNull($err) ? 'cldkit error' : FFI::string($err);
        self::release($err);
        $class = self::errorClass($status);
        throw new $class($message, $status, (string) $f->cldkit_status_name($status));
    }

    /** Runs a call with a char* result; returns the text, or the decoded JSON. */
    private static function invoke(#[\SensitiveParameter] callable $call, bool $json): mixed
    {
        $f = self::ffi();
        $out = $f->new('char*');
        $err = $f->new('char*');
        $status = $call($f, $out, $err);
        self::check($status, $err);
        if (FFI::isNull($out)) {
            return null; // a call that may give no string (authToken in the php profile)
        }
        $text = FFI::string($out);
        self::release($out);
        return $json ? json_decode($text, true, 512, JSON_THROW_ON_ERROR) : $text;
    }

    private function textCall(#[\SensitiveParameter] callable $call): string
    {
        return self::invoke($call, false);
    }

    private function jsonCall(#[\SensitiveParameter] callable $call): mixed
    {
        return self::invoke($call, true);
    }

    private function textOptions(string $fn, string $text, string $name, array $options, bool $json = false): mixed
    {
        self::checkText($text, $name);
        $o = self::encode($options);
        return self::invoke(fn (FFI $f, CData $out, CData $err) =>
            $f->$fn($this->handle, $text, $o, FFI::addr($out), FFI::addr($err)), $json);
    }

    private function optionsCall(string $fn, array $options, bool $json): mixed
    {
        $o = self::encode($options);
        return self::invoke(fn (FFI $f, CData $out, CData $err) =>
            $f->$fn($this->handle, $o, FFI::addr($out), FFI::addr($err)), $json);
    }

    /** @param list<mixed> $values */
    private function values(string $fn, array $values, array $options): string
    {
        $args = array_map(self::encode(...), $values);
        $o = self::encode($options);
        return self::invoke(fn (FFI $f, CData $out, CData $err) =>
            $f->$fn($this->handle, ...[...$args, $o, FFI::addr($out), FFI::addr($err)]), false);
    }

    /** A PHP value as JSON text (floats keep their fraction, key order is kept). */
    private static function encode(#[\SensitiveParameter] mixed $value): string
    {
        try {
            // Depth 65: as deep as the extension accepts.
            return json_encode($value, JSON_PRESERVE_ZERO_FRACTION | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR, 65);
        } catch (\JsonException $e) {
            throw new Exception('options cannot be passed to cldkit: ' . $e->getMessage(), 4, 'invalid_argument');
        }
    }

    /** C strings end at a NUL byte, so one inside the text is an error. */
    private static function checkText(#[\SensitiveParameter] string $text, string $name): void
    {
        if (str_contains($text, "\0")) {
            throw new Exception("`$name` contains a NUL byte", 4, 'invalid_argument');
        }
    }
}
