--TEST--
Uploads against the emulator: path, bytes, data URI, remote URL, chunked, progress
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$tag = 'php_' . getenv('CLDKIT_IMPL');
$path = tempnam(sys_get_temp_dir(), 'cldkit') . '.png';
file_put_contents($path, png());

$calls = [];
$r = $c->upload($path, ['public_id' => 'php/path', 'tags' => [$tag]], function (int $done, ?int $total) use (&$calls) {
    $calls[] = [$done, $total];
});
printf("path: %s %s %dx%d %d bytes, %s\n", $r['public_id'], $r['format'], $r['width'], $r['height'], $r['bytes'],
    json_encode(end($calls)));
var_dump(is_string($r['request_id']) && strlen($r['request_id']) > 0);

$r = $c->uploadBytes(png(), ['public_id' => 'php/bytes', 'tags' => $tag], 'dot.png');
printf("bytes: %s %s %s\n", $r['public_id'], $r['original_filename'], $r['resource_type']);
$r = $c->uploadBytes('', ['public_id' => 'php/empty.txt', 'resource_type' => 'raw']);
printf("empty: %s %d\n", $r['public_id'], $r['bytes']);

$r = $c->upload('data:image/png;base64,' . base64_encode(png()), ['public_id' => 'php/datauri', 'tags' => [$tag]]);
printf("data URI: %s %dx%d\n", $r['public_id'], $r['width'], $r['height']);

// A remote URL the emulator fetches: its own delivery URL of the first upload.
$settings = CldKit\Client::parseCloudinaryUrl(getenv('CLDKIT_TEST_URL'));
$base = $settings['upload_prefix'] . '/' . $settings['cloud_name'];
$remote = $c->upload("$base/image/upload/php/path.png", ['public_id' => 'php/remote', 'tags' => [$tag]]);
printf("remote: %s %d bytes\n", $remote['public_id'], $remote['bytes']);

// Chunked: 250 000 bytes in chunks of 100 000, from memory and from a file.
$big = random_bytes(250000);
$opts = ['resource_type' => 'raw', 'chunk_size' => 100000, 'allow_small_chunks' => true];
$calls = [];
$r = $c->uploadBytes($big, $opts + ['public_id' => 'php/big1.bin'], 'big.bin', function ($done, $total) use (&$calls) {
    $calls[] = [$done, $total];
});
printf("chunked bytes: %s %d bytes, %s progress calls, last %s\n", $r['public_id'], $r['bytes'],
    count($calls) >= 3 ? '>=3' : count($calls), json_encode(end($calls)));
$bigPath = tempnam(sys_get_temp_dir(), 'cldkit');
file_put_contents($bigPath, $big);
$calls = [];
$r = $c->upload($bigPath, $opts + ['public_id' => 'php/big2.bin'], function ($done, $total) use (&$calls) {
    $calls[] = [$done, $total];
});
printf("chunked file: %s %d bytes, %s progress calls, last %s\n", $r['public_id'], $r['bytes'],
    count($calls) >= 3 ? '>=3' : count($calls), json_encode(end($calls)));
$fetched = file_get_contents("$base/raw/upload/php/big2.bin");
var_dump($fetched === $big);

// Resumable: chunk 2 fails once (HTTP 502, no retries); the same call made again with
// the same `resume_file` sends only the missing chunks.
function faults(string $base, array $rules): void {
    $s = CldKit\Client::parseCloudinaryUrl(getenv('CLDKIT_TEST_URL'));
    $ctx = stream_context_create(['http' => ['method' => 'POST',
        'header' => "Content-Type: application/json\r\nAuthorization: Basic "
            . base64_encode($s['api_key'] . ':' . $s['api_secret']) . "\r\n",
        'content' => json_encode($rules)]]);
    file_get_contents(preg_replace('#/[^/]+$#', '', $base) . '/_emulator/faults', false, $ctx);
}
$token = tempnam(sys_get_temp_dir(), 'cldkit-token');
unlink($token);
faults($base, [['method' => 'POST', 'path' => '/raw/upload', 'nth' => 2, 'action' => 'status', 'status' => 502]]);
$resumable = $opts + ['public_id' => 'php/resumed.bin', 'resume_file' => $token, 'max_retries' => 0];
try {
    $c->upload($bigPath, $resumable);
    echo "no error!\n";
} catch (CldKit\Exception $e) {
    printf("first attempt: %s, token kept: %s\n", get_class($e), var_export(is_file($token), true));
}
faults($base, []);
$calls = [];
$r = $c->upload($bigPath, $resumable, function ($done, $total) use (&$calls) {
    $calls[] = [$done, $total];
});
clearstatcache();
printf("resumed: %s %d bytes, first progress %s, token removed: %s\n", $r['public_id'], $r['bytes'],
    json_encode($calls[0]), var_export(!is_file($token), true));
var_dump(file_get_contents("$base/raw/upload/php/resumed.bin") === $big);

// A progress callable that throws: the exception reaches the caller.
try {
    $c->uploadBytes(png(), [], 'x.png', function () { throw new LogicException('stop here'); });
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
unlink($path);
unlink($bigPath);
echo "done\n";
?>
--EXPECT--
path: php/path png 1x1 70 bytes, [70,70]
bool(true)
bytes: php/bytes dot image
empty: php/empty.txt 0
data URI: php/datauri 1x1
remote: php/remote 70 bytes
chunked bytes: php/big1.bin 250000 bytes, >=3 progress calls, last [250000,250000]
chunked file: php/big2.bin 250000 bytes, >=3 progress calls, last [250000,250000]
bool(true)
first attempt: CldKit\ServerError, token kept: true
resumed: php/resumed.bin 250000 bytes, first progress [100000,250000], token removed: true
bool(true)
LogicException: stop here
done
