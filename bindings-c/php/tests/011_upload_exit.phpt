--TEST--
exit() inside the upload progress callable: PHP exits, the upload stops
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
        $c->resource('php/exit.bin', ['resource_type' => 'raw']);
        echo "uploaded anyway\n";
    } catch (CldKit\ApiException $e) {
        echo 'the upload stopped: ', $e->getKind(), "\n";
    }
});
$big = random_bytes(250000);
$opts = ['resource_type' => 'raw', 'chunk_size' => 100000, 'allow_small_chunks' => true, 'public_id' => 'php/exit.bin'];
try {
    $c->uploadBytes($big, $opts, 'big.bin', function () {
        echo "exiting\n";
        exit(0);
    });
} finally {
    echo "finally blocks do not run on exit\n";
}
echo "not reached\n";
?>
--EXPECT--
exiting
the upload stopped: not_found
