<?php
/**
 * Run by tests/dist/composer.sh in a project where Composer installed cldkit/cldkit:
 *
 *   php <ini> tests/dist/check_composer.php PROJECT ext|ffi [LIBRARY] < cases.jsonl > results.jsonl
 *
 * Loads nothing but PROJECT/vendor/autoload.php, then checks that CldKit\Client is the
 * implementation named (ext: the extension's internal class, no file of the package read,
 * no libcldkit mapped; ffi: the package's src/Client.php over the libcldkit file LIBRARY,
 * as /proc/self/maps shows it), the README's URL, an upload to the emulator when
 * CLOUDINARY_URL is set, then runs the conformance driver (bindings-c/php/conformance.php,
 * python profile) on the cases of stdin, whose results tests/dist/compare.py scores
 * against the corpus. Progress goes to stderr; a failed check exits 1.
 */

declare(strict_types=1);

function fail(string $message): never
{
    fwrite(STDERR, "FAIL check_composer: $message\n");
    exit(1);
}

function ok(string $message): void
{
    fwrite(STDERR, "ok  $message\n");
}

/** The real paths of the libcldkit files mapped into this process. */
function mapped_libcldkit(): array
{
    $found = [];
    foreach (file('/proc/self/maps', FILE_IGNORE_NEW_LINES) ?: [] as $line) {
        $path = preg_split('/\s+/', trim($line), 6)[5] ?? '';
        if (str_contains(basename($path), 'libcldkit')) {
            $found[realpath($path) ?: $path] = true;
        }
    }
    return array_keys($found);
}

[, $project, $impl] = $argv + [null, null, null];
$library = $argv[3] ?? null;
if (!is_string($project) || !in_array($impl, ['ext', 'ffi'], true)) {
    fwrite(STDERR, "usage: check_composer.php PROJECT ext|ffi [LIBRARY] < cases.jsonl\n");
    exit(2);
}
require $project . '/vendor/autoload.php';
$src = realpath($project . '/vendor/cldkit/cldkit/src') ?: fail('vendor/cldkit/cldkit/src is missing');

/** The files of the package's src/ that PHP has read so far. */
function package_files(string $src): array
{
    return array_values(array_filter(get_included_files(), fn ($f) => str_starts_with($f, $src . '/')));
}

$class = new ReflectionClass(CldKit\Client::class);
$demo = new CldKit\Client(['cloud_name' => 'demo', 'analytics' => false]);
$url = $demo->url('sample.jpg', ['width' => 300, 'height' => 200, 'crop' => 'fill']);
if ($impl === 'ext') {
    extension_loaded('cldkit') || fail('the cldkit extension is not loaded');
    $class->isInternal() || fail('CldKit\\Client comes from ' . $class->getFileName() . ', not from the extension');
    package_files($src) === [] || fail('read with the extension loaded: ' . implode(', ', package_files($src)));
    mapped_libcldkit() === [] || fail('libcldkit mapped with the extension: ' . implode(', ', mapped_libcldkit()));
    ok('CldKit\\Client is the extension\'s (' . phpversion('cldkit') . '); no file of the package read, no libcldkit.so mapped');
} else {
    !extension_loaded('cldkit') || fail('the cldkit extension is loaded in an FFI run');
    $file = (string) $class->getFileName();
    $file === $src . '/Client.php' || fail("CldKit\\Client comes from $file, not from $src");
    $want = realpath((string) $library) ?: fail("no library $library");
    mapped_libcldkit() === [$want] || fail("libcldkit mapped: " . implode(', ', mapped_libcldkit()) . "; expected $want");
    ok("CldKit\\Client is vendor/cldkit/cldkit/src/Client.php over $want");
}
$url === 'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg' || fail("url: $url");
ok("url $url");

// An upload to the emulator, read back through the Admin API and delivery.
$cloudinaryUrl = getenv('CLOUDINARY_URL');
if (is_string($cloudinaryUrl) && $cloudinaryUrl !== '') {
    parse_str((string) parse_url($cloudinaryUrl, PHP_URL_QUERY), $query);
    $cloud = (string) parse_url($cloudinaryUrl, PHP_URL_HOST);
    $api = CldKit\Client::fromUrl($cloudinaryUrl);
    $payload = random_bytes(3000);
    $publicId = "dist-check-composer-$impl-" . bin2hex(random_bytes(4)) . '.bin';
    $result = $api->uploadBytes($payload, ['public_id' => $publicId, 'resource_type' => 'raw']);
    ($result['public_id'] ?? null) === $publicId && ($result['bytes'] ?? null) === 3000
        || fail('upload result: ' . json_encode($result));
    ($api->resource($publicId, ['resource_type' => 'raw'])['bytes'] ?? null) === 3000 || fail('resource(): wrong size');
    $read = file_get_contents("{$query['upload_prefix']}/$cloud/raw/upload/$publicId");
    $read === $payload || fail('delivery returned other bytes');
    ok('upload of 3000 bytes to the emulator, read back (Admin API, delivery)');
}

// The conformance driver of the checkout over the installed classes: they are loaded
// already (Client) or by Composer's autoloader, which runs before the one the driver's
// --ffi mode registers (checked below).
$root = dirname(__DIR__, 2);
$argv = ['conformance.php', '--profile', 'python'];
if ($impl === 'ffi') {
    $argv[] = '--ffi';
}
$argc = count($argv);
register_shutdown_function(static function () use ($src, $root, $impl): void {
    $checkout = $root . '/bindings-c/php/src/';
    foreach (get_included_files() as $f) {
        if (str_starts_with($f, $checkout) && basename($f) !== 'autoload.php' && !str_starts_with($f, $src . '/')) {
            fail("the driver ran on the checkout's $f, not on the installed package");
        }
    }
    if ($impl === 'ext' && package_files($src) !== []) {
        fail('read with the extension loaded: ' . implode(', ', package_files($src)));
    }
});
require $root . '/bindings-c/php/conformance.php';
