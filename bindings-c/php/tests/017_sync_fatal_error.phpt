--TEST--
A fatal error (memory_limit) inside the sync progress callable: PHP's fatal error, the sync stops
--ENV--
USE_TRACKED_ALLOC=1
--INI--
memory_limit=64M
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$folder = 'pfatal' . bin2hex(random_bytes(4));
$items = [];
for ($i = 0; $i < 5; $i++) {
    $items[] = ['id' => "f$i.png", 'data' => 'data:image/png;base64,' . base64_encode(png())];
}
// Every upload answers after 300 ms: the sync is still under way at the first event.
emulator_faults([['method' => 'POST', 'path' => '/upload', 'action' => 'delay', 'delay_ms' => 300]]);
register_shutdown_function(function () use ($c, $folder) {
    emulator_faults([]);
    usleep(1500000); // longer than the rest of the sync would take
    try {
        $c->resource("$folder/f4");
        echo "synced anyway\n";
    } catch (CldKit\ApiException $e) {
        echo 'the sync stopped: ', $e->getKind(), "\n";
    }
});
$c->sync($items, ['folder' => $folder, 'concurrency' => 1], function () {
    $x = str_repeat('x', 128 << 20); // over memory_limit: a fatal error (a bailout)
    echo "not reached\n";
});
echo "not reached either\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of %d bytes exhausted%s(tried to allocate %d bytes) in %s on line %d
the sync stopped: not_found
