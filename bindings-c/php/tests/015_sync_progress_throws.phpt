--TEST--
sync() progress callable that throws: the sync stops and the exception reaches the caller
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$folder = 'pthrow' . bin2hex(random_bytes(4));
$items = [];
for ($i = 0; $i < 5; $i++) {
    $items[] = ['id' => "t$i.png", 'data' => 'data:image/png;base64,' . base64_encode(png())];
}
// Every upload answers after 300 ms: the sync is still under way at the first event.
emulator_faults([['method' => 'POST', 'path' => '/upload', 'action' => 'delay', 'delay_ms' => 300]]);
$calls = 0;
try {
    $c->sync($items, ['folder' => $folder, 'concurrency' => 1], function (array $e) use (&$calls) {
        $calls++;
        throw new LogicException("stop at {$e['done']}/{$e['total']}");
    });
    echo "no exception\n";
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), ", $calls call\n";
}
usleep(1500000); // longer than the rest of the sync would have taken
$exists = function (string $publicId) use ($c): string {
    try {
        $c->resource($publicId);
        return 'exists';
    } catch (CldKit\NotFoundError $e) {
        return $e->getKind();
    }
};
echo "first: ", $exists("$folder/t0"), ", last: ", $exists("$folder/t4"), "\n";
emulator_faults([]);

// The same sync again, without a callable, finishes the work.
$report = $c->sync($items, ['folder' => $folder]);
printf("then: %d of 5 uploaded or unchanged, failed %d\n",
    count($report['uploaded']) + count($report['unchanged']), count($report['failed']));
echo "last: ", $exists("$folder/t4"), "\n";
echo "done\n";
?>
--EXPECT--
LogicException: stop at 1/5, 1 call
first: exists, last: not_found
then: 5 of 5 uploaded or unchanged, failed 0
last: exists
done
