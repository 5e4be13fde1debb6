<?php
/**
 * Compares conformance.php output with the corpus: every case of every file given
 * must have a result, equal to `expected` (any error passes when an error is
 * expected); with --profile node, equal to `expected_node` where the case has one
 * (the npm SDK's result). Prints per-kind counts; exits 1 on any mismatch or missing
 * result.
 *
 *   php compare_conformance.php [--profile node] results.jsonl cases1.jsonl [cases2.jsonl ...]
 */

declare(strict_types=1);

$args = array_slice($argv, 1);
$profile = 'python';
if (($args[0] ?? '') === '--profile') {
    $profile = $args[1] ?? '';
    $args = array_slice($args, 2);
}
if (count($args) < 2 || !in_array($profile, ['python', 'node'], true)) {
    fwrite(STDERR, "usage: compare_conformance.php [--profile python|node] results.jsonl cases.jsonl...\n");
    exit(2);
}

/** JSON equality: maps compare by key regardless of order, lists in order, scalars strictly. */
function same(mixed $a, mixed $b): bool
{
    if (is_array($a) && is_array($b)) {
        if (count($a) !== count($b) || array_is_list($a) !== array_is_list($b)) {
            return false;
        }
        foreach ($a as $k => $v) {
            if (!array_key_exists($k, $b) || !same($v, $b[$k])) {
                return false;
            }
        }
        return true;
    }
    return $a === $b;
}

$results = [];
foreach (file($args[0], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
    $r = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
    $results[$r['id']] = $r['result'];
}

$failed = 0;
$total = 0;
$shown = 0;
for ($i = 1; $i < count($args); $i++) {
    $pass = $fail = 0;
    $kind = basename($args[$i], '.jsonl');
    foreach (file($args[$i], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
        $case = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
        $expected = $profile === 'node' && array_key_exists('expected_node', $case)
            ? $case['expected_node'] : $case['expected'];
        $got = $results[$case['id']] ?? ['missing' => true];
        $ok = is_array($expected) && array_key_exists('error', $expected)
            ? is_array($got) && array_key_exists('error', $got)
            : same($expected, $got);
        if ($ok) {
            $pass++;
        } else {
            $fail++;
            if ($shown++ < 15) {
                fwrite(STDERR, "MISMATCH {$case['id']}\n  input:    " . json_encode($case['input'], JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION)
                    . "\n  expected: " . json_encode($expected, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION)
                    . "\n  got:      " . json_encode($got, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION) . "\n");
            }
        }
    }
    printf("%-28s %5d passed %5d failed\n", $kind, $pass, $fail);
    $failed += $fail;
    $total += $pass + $fail;
}
printf("total (%s profile): %d cases, %d failed\n", $profile, $total, $failed);
exit($failed === 0 ? 0 : 1);
