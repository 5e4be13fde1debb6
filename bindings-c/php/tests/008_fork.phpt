--TEST--
A forked child (as a PHP-FPM worker) uses a client its parent already used
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
echo "parent: ", $c->ping()['status'], "\n";
$children = [];
for ($i = 0; $i < 2; $i++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $ok = $c->ping()['status'] === 'ok';
        $r = $c->uploadBytes(png(), ['public_id' => "fork/child$i"], 'c.png', function () {});
        $ok = $ok && $r['public_id'] === "fork/child$i";
        exit($ok ? 0 : 1);
    }
    $children[] = $pid;
}
foreach ($children as $i => $pid) {
    pcntl_waitpid($pid, $status);
    echo "child $i: exit ", pcntl_wexitstatus($status), "\n";
}
echo "parent sees: ", $c->resource('fork/child0')['public_id'], ' ', $c->resource('fork/child1')['public_id'], "\n";
?>
--EXPECT--
parent: ok
child 0: exit 0
child 1: exit 0
parent sees: fork/child0 fork/child1
