<?php
/**
 * Requires a binding's conformance results to be the CLI's, case for case:
 *
 *   php bindings-c/php/tests/compat/same_as_cli.php [--any-error] <cli.jsonl> <binding.jsonl> [label]
 *
 * Both files are {"id", "result"} lines (`cldkit conformance --profile P` and
 * bindings-c/php/conformance.php --profile P over the same cases). Every id must be in
 * both, once, with the same result (decoded JSON compared with ===, so 2 and 2.0,
 * key order and list order all count). With --any-error, where the CLI answers an
 * error the binding must answer one too, in its own words (CldKit\Compat's typed
 * signatures raise PHP's TypeError where the CLI reports the core's). Prints the count
 * and the first differences; exits 1 on any.
 */

declare(strict_types=1);

$args = array_slice($argv, 1);
$anyError = ($args[0] ?? '') === '--any-error';
if ($anyError) {
    array_shift($args);
}
if (count($args) < 2) {
    fwrite(STDERR, "usage: same_as_cli.php [--any-error] <cli.jsonl> <binding.jsonl> [label]\n");
    exit(2);
}

/** @return array<string, mixed> results by case id */
function results(string $path): array
{
    $out = [];
    $fh = fopen($path, 'r') ?: throw new RuntimeException("cannot read $path");
    $n = 0;
    while (($line = fgets($fh)) !== false) {
        $n++;
        if (trim($line) === '') {
            continue;
        }
        $row = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
        $id = (string) ($row['id'] ?? throw new RuntimeException("$path:$n: no id"));
        if (array_key_exists($id, $out)) {
            throw new RuntimeException("$path:$n: $id twice");
        }
        $out[$id] = $row['result'] ?? null;
    }
    return $out;
}

$cli = results($args[0]);
$binding = results($args[1]);
$label = $args[2] ?? basename($args[1]);
$isError = static fn (mixed $r): bool => is_array($r) && array_keys($r) === ['error'];
$diffs = [];
foreach ($cli as $id => $want) {
    if (!array_key_exists($id, $binding)) {
        $diffs[] = "$id: missing";
    } elseif ($binding[$id] !== $want && !($anyError && $isError($want) && $isError($binding[$id]))) {
        $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION;
        $diffs[] = "$id:\n  cli:     " . json_encode($want, $flags) . "\n  binding: " . json_encode($binding[$id], $flags);
    }
}
foreach (array_diff_key($binding, $cli) as $id => $_) {
    $diffs[] = "$id: not in the CLI's results";
}
if ($diffs !== []) {
    fwrite(STDERR, implode("\n", array_slice($diffs, 0, 10)) . "\n");
    printf("%s: %d of %d cases differ from the CLI's results\n", $label, count($diffs), count($cli));
    exit(1);
}
printf("%s: all %d cases are the CLI's results\n", $label, count($cli));
