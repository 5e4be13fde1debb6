--TEST--
Upload progress callable that re-runs the constructor, destroys the client or throws: no crash
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
$big = random_bytes(250000);
$opts = ['resource_type' => 'raw', 'chunk_size' => 100000, 'allow_small_chunks' => true];
// Every chunk answers after 300 ms: the callable runs while the upload is under way.
emulator_faults([['method' => 'POST', 'path' => '/raw/upload', 'action' => 'delay', 'delay_ms' => 300]]);

// 1. The callable re-runs the constructor on the client that is uploading: refused.
$seen = [];
$r = $c->uploadBytes($big, $opts + ['public_id' => 'php/reentry1.bin'], 'big.bin', function () use ($c, &$seen) {
    try {
        $c->__construct(['cloud_name' => 'other', 'api_key' => 'k', 'api_secret' => 's']);
        $seen['constructed again'] = true;
    } catch (CldKit\Exception $e) {
        $seen[get_class($e) . ' ' . $e->getKind() . ': ' . $e->getMessage()] = true;
    }
});
printf("1. uploaded %s, %d bytes\n", $r['public_id'], $r['bytes']);
echo '   ', implode("\n   ", array_keys($seen)), "\n";
// The client is still the emulator's.
echo '   still the same client: ', $c->resource('php/reentry1.bin', ['resource_type' => 'raw'])['bytes'], "\n";
// Also refused outside an upload.
try {
    $c->__construct(['cloud_name' => 'other']);
    echo "constructed again\n";
} catch (CldKit\Exception $e) {
    echo '   outside an upload: ', $e->getKind(), "\n";
}

// 2. The callable destroys the client (FFI: __destruct(), the extension has none) and
// drops the last variable holding it: the upload goes on with what it owns.
$d = emulator();
$calls = 0;
$r = $d->uploadBytes($big, $opts + ['public_id' => 'php/reentry2.bin'], 'big.bin', function () use (&$d, &$calls) {
    $calls++;
    if ($d !== null && method_exists($d, '__destruct')) {
        $d->__destruct();
    }
    $d = null;
    gc_collect_cycles();
});
printf("2. uploaded %s, %d bytes, %s progress calls, client %s\n", $r['public_id'], $r['bytes'],
    $calls >= 2 ? '>=2' : $calls, var_export($d, true));

// 3. The callable throws: the upload stops and the exception reaches the caller.
try {
    $c->uploadBytes($big, $opts + ['public_id' => 'php/reentry3.bin'], 'big.bin', function () {
        throw new LogicException('stop here');
    });
    echo "no exception\n";
} catch (LogicException $e) {
    echo '3. ', get_class($e), ': ', $e->getMessage(), "\n";
}
usleep(1200000); // longer than the rest of the upload would have taken
try {
    $c->resource('php/reentry3.bin', ['resource_type' => 'raw']);
    echo "   uploaded anyway\n";
} catch (CldKit\ApiException $e) {
    echo '   the upload stopped: ', $e->getKind(), "\n";
}
emulator_faults([]);
echo "done\n";
?>
--EXPECT--
1. uploaded php/reentry1.bin, 250000 bytes
   CldKit\Exception invalid_argument: CldKit\Client is already constructed: create a new client instead
   still the same client: 250000
   outside an upload: invalid_argument
2. uploaded php/reentry2.bin, 250000 bytes, >=2 progress calls, client NULL
3. LogicException: stop here
   the upload stopped: not_found
done
