--TEST--
exit() inside the sync progress callable: PHP exits, the sync stops
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$folder = 'pexit' . bin2hex(random_bytes(4));
$items = [];
for ($i = 0; $i < 5; $i++) {
    $items[] = ['id' => "e$i.png", 'data' => 'data:image/png;base64,' . base64_encode(png())];
}
// Every upload answers after 300 ms: the sync is still under way at the first event.
emulator_faults([['method' => 'POST', 'path' => '/upload', 'action' => 'delay', 'delay_ms' => 300]]);
register_shutdown_function(function () use ($c, $folder) {
    emulator_faults([]);
    usleep(1500000); // longer than the rest of the sync would take
    try {
        $c->resource("$folder/e4");
        echo "synced anyway\n";
    } catch (CldKit\ApiException $e) {
        echo 'the sync stopped: ', $e->getKind(), "\n";
    }
});
try {
    $c->sync($items, ['folder' => $folder, 'concurrency' => 1], function () {
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
the sync stopped: not_found
