--TEST--
sync() with a progress callable: every event in order on the PHP thread, with the right totals; without one as before
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$folder = 'psync' . bin2hex(random_bytes(4));
$uri = fn (string $bytes) => 'data:image/png;base64,' . base64_encode($bytes);
$items = [];
for ($i = 0; $i < 5; $i++) {
    $items[] = ['id' => "p$i.png", 'data' => $uri(png())];
}
$short = fn (string $publicId) => str_replace("$folder/", '', $publicId);

/** Runs a sync with a callable that records each event and, from inside the callable,
 * reads the asset back through the same client (only possible on the PHP thread). */
function follow(CldKit\Client $c, array $items, array $options): array
{
    $events = [];
    $report = $c->sync($items, $options, function (array $e) use ($c, &$events) {
        $e['exists'] = $c->resource($e['public_id'])['public_id'] === $e['public_id'];
        $events[] = $e;
    });
    return [$events, $report];
}

// 1. Five new items, one action at a time.
[$events, $report] = follow($c, $items, ['folder' => $folder, 'concurrency' => 1]);
echo "1. ", count($events), " events\n";
foreach ($events as $e) {
    printf("   %d/%d %s %s ok=%s exists=%s\n", $e['done'], $e['total'], $e['action'], $short($e['public_id']),
        var_export($e['ok'], true), var_export($e['exists'], true));
}
printf("   uploaded %d, failed %d\n", count($report['uploaded']), count($report['failed']));

// 2. Two new items and one changed, several actions at once: done counts 1..3 in
// the order the events come, each item once.
$items[] = ['id' => 'p5.png', 'data' => $uri(png())];
$items[] = ['id' => 'p6.png', 'data' => $uri(png())];
$items[2]['data'] = $uri(png() . 'changed');
[$events, $report] = follow($c, $items, ['folder' => $folder, 'concurrency' => 3]);
echo "2. done: ", implode(',', array_column($events, 'done')), "; totals: ",
    implode(',', array_unique(array_column($events, 'total'))), "\n";
$seen = array_map(fn ($e) => $e['action'] . ' ' . $short($e['public_id']), $events);
sort($seen);
echo '   ', implode("\n   ", $seen), "\n";
printf("   uploaded %d, updated %d, unchanged %d\n", count($report['uploaded']), count($report['updated']),
    count($report['unchanged']));

// 3. Nothing to do: no event.
[$events, $report] = follow($c, $items, ['folder' => $folder]);
printf("3. %d events, unchanged %d\n", count($events), count($report['unchanged']));

// 4. Without a callable (omitted, or null): the report as before.
$report = $c->sync($items, ['folder' => $folder]);
printf("4. unchanged %d, uploaded %d\n", count($report['unchanged']), count($report['uploaded']));
$report = $c->sync($items, ['folder' => $folder, 'dry_run' => true], null);
printf("   dry run: %s\n", var_export($report['dry_run'], true));

// 5. Errors are the same with and without a callable.
$calls = 0;
show_error(fn () => $c->sync($items, ['folder' => $folder, 'mode' => 'both']));
show_error(function () use ($c, $items, $folder, &$calls) {
    return $c->sync($items, ['folder' => $folder, 'mode' => 'both'], function () use (&$calls) {
        $calls++;
    });
});
show_error(fn () => $c->sync([['id' => 'x.png']], [], fn () => null));
echo "   callable calls: $calls\n";
try {
    $c->sync($items, [], 'no_such_function');
} catch (TypeError $e) {
    echo "5. ", get_class($e), "\n";
}
echo "done\n";
?>
--EXPECTF--
1. 5 events
   1/5 upload p0 ok=true exists=true
   2/5 upload p1 ok=true exists=true
   3/5 upload p2 ok=true exists=true
   4/5 upload p3 ok=true exists=true
   5/5 upload p4 ok=true exists=true
   uploaded 5, failed 0
2. done: 1,2,3; totals: 3
   replace p2
   upload p5
   upload p6
   uploaded 2, updated 1, unchanged 4
3. 0 events, unchanged 7
4. unchanged 7, uploaded 0
   dry run: true
CldKit\InvalidOptionError 1 invalid_option: %smode%s
CldKit\InvalidOptionError 1 invalid_option: %smode%s
CldKit\InvalidOptionError 1 invalid_option: %sneeds exactly one of path, url or data
   callable calls: 0
5. TypeError
done
