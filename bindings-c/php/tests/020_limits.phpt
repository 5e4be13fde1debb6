--TEST--
HTTP limits: an endless answer past max_response_bytes is an ApiException of kind response, a trickle past timeout of kind timeout, a repeated next_cursor stops the pages
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$url = getenv('CLDKIT_TEST_URL');
$c = emulator();
$conf = CldKit\Client::parseCloudinaryUrl($url);

/** Replaces the emulator's fault rules (authenticated as its account). */
function set_faults(array $conf, array $rules): void
{
    $ctx = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/json\r\n"
            . 'Authorization: Basic ' . base64_encode($conf['api_key'] . ':' . $conf['api_secret']) . "\r\n",
        'content' => json_encode($rules),
        'ignore_errors' => true,
    ]]);
    $body = file_get_contents($conf['upload_prefix'] . '/_emulator/faults', false, $ctx);
    if ($body === false || !preg_match('#^HTTP/\S+ 2\d\d#', $http_response_header[0] ?? '')) {
        die("cannot set faults: " . ($http_response_header[0] ?? 'no answer') . "\n");
    }
}

function show(callable $f): void
{
    $t = microtime(true);
    try {
        $f();
        echo "no error\n";
    } catch (CldKit\ApiException $e) {
        printf("%s %s %s in %s: %s\n", get_class($e), $e->getKind(), var_export($e->getHttpStatus(), true),
            microtime(true) - $t < 5 ? 'time' : 'too long', $e->getMessage());
    }
}

// Only paths of this test are faulted (the emulator is shared). Endless answers are
// paced and calls carry a `timeout` as a safety net.
// The emulator checks cursors: the fault hands out a real one, again and again.
foreach (['limits/p1', 'limits/p2'] as $pid) {
    $c->uploadBytes(png(), ['public_id' => $pid, 'tags' => 'limits_pages'], 'p.png');
}
$first = $c->resourcesByTag('limits_pages', ['max_results' => 1])['next_cursor'];
set_faults($conf, [
    ['path' => '/tags/limits_endless', 'action' => 'endless', 'bytes' => 65536, 'interval_ms' => 2],
    ['path' => '/tags/limits_trickle', 'action' => 'trickle', 'bytes' => 1, 'interval_ms' => 250],
    ['method' => 'GET', 'path' => '/tags/limits_pages', 'action' => 'cursor', 'cursor' => $first],
]);
$capped = CldKit\Client::fromUrl($url . '&max_response_bytes=1000000');
show(fn () => $capped->resourcesByTag('limits_endless', ['max_retries' => 0, 'timeout' => 20]));
show(fn () => $c->resourcesByTag('limits_endless', ['max_retries' => 0, 'timeout' => 20, 'max_response_bytes' => 50000]));
show(fn () => $c->resourcesByTag('limits_trickle', ['max_retries' => 0, 'timeout' => 1]));
$pages = 0;
show(function () use ($c, &$pages) {
    foreach ($c->adminPages('resources_by_tag', ['tag' => 'limits_pages'], ['max_results' => 1, 'max_retries' => 0]) as $page) {
        if (++$pages >= 10) {
            echo "paging did not stop\n";
            break;
        }
    }
});
echo "pages before the error: $pages\n";
set_faults($conf, []);
$c->deleteResources(['limits/p1', 'limits/p2']);
echo "done\n";
?>
--EXPECTF--
CldKit\ResponseError response NULL in time: the server's answer grew past the configured `max_response_bytes` (1000000 bytes); %s
CldKit\ResponseError response NULL in time: the server's answer grew past the `max_response_bytes` of this call (50000 bytes); %s
CldKit\TimeoutError timeout NULL in time: the request did not complete within the `timeout` of this call (1 s, %s
CldKit\ResponseError response NULL in time: the server answered page 2 of `resources_by_tag` with a `next_cursor` it had already given; %s
pages before the error: 2
done
