--TEST--
A fatal error (memory_limit) inside the upload progress callable: PHP's fatal error, the upload stops
--ENV--
USE_TRACKED_ALLOC=1
--INI--
memory_limit=64M
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
// Every chunk answers after 300 ms: the callable runs while the upload is under way.
emulator_faults([['method' => 'POST', 'path' => '/raw/upload', 'action' => 'delay', 'delay_ms' => 300]]);
register_shutdown_function(function () use ($c) {
    emulator_faults([]);
    usleep(1500000); // longer than the rest of the upload would take
    try {
        $c->resource('php/fatal.bin', ['resource_type' => 'raw']);
        echo "uploaded anyway\n";
    } catch (CldKit\ApiException $e) {
        echo 'the upload stopped: ', $e->getKind(), "\n";
    }
});
$big = random_bytes(250000);
$opts = ['resource_type' => 'raw', 'chunk_size' => 100000, 'allow_small_chunks' => true, 'public_id' => 'php/fatal.bin'];
$c->uploadBytes($big, $opts, 'big.bin', function () {
    $x = str_repeat('x', 128 << 20); // over memory_limit: a fatal error (a bailout)
    echo "not reached\n";
});
echo "not reached either\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of %d bytes exhausted%s(tried to allocate %d bytes) in %s on line %d
the upload stopped: not_found
