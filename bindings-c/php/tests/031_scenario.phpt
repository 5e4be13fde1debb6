--TEST--
The call scenario (tests/calls/scenario.json) against a fresh emulator, every step through the generated camelCase method (Provisioning rows on CldKit\AccountClient)
--INI--
; PCRE's JIT code reads past string ends on purpose (valgrind reports it): off here.
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';

$scenario = json_decode((string) file_get_contents(dirname(__DIR__, 3) . '/tests/calls/scenario.json'), true, 512, JSON_THROW_ON_ERROR);
$catalogue = [];
foreach (json_decode(catalogue_json(), true, 512, JSON_THROW_ON_ERROR)['calls'] as $row) {
    $catalogue[$row['name']] = $row;
}

// A fresh emulator of its own: the scenario uses fixed names (run-phpt.sh starts it).
$url = getenv('CLDKIT_TEST_URL_SCENARIO') ?: die("no scenario emulator: run with bindings-c/php/run-phpt.sh\n");
$client = CldKit\Client::fromUrl($url);
$s = CldKit\Client::parseCloudinaryUrl($url);
$account = new CldKit\AccountClient(sprintf('account://%s:%s@emulator-account?upload_prefix=%s',
    $s['api_key'], $s['api_secret'], $s['upload_prefix']));

function camel(string $snake): string
{
    return lcfirst(str_replace('_', '', ucwords($snake, '_')));
}

/** The value at a dotted path, or a marker when the path leads nowhere. */
function at(mixed $value, string $path): mixed
{
    foreach (explode('.', $path) as $key) {
        if (!is_array($value) || !array_key_exists($key, $value)) {
            return ['<missing>' => $path];
        }
        $value = $value[$key];
    }
    return $value;
}

/** JSON equality: numbers by value, maps by their keys regardless of order. */
function same(mixed $a, mixed $b): bool
{
    if ((is_int($a) || is_float($a)) && (is_int($b) || is_float($b))) {
        return $a == $b;
    }
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

/** Substitutes ${var} in the strings of $value. */
function substitute(mixed $value, array $vars): mixed
{
    if (is_array($value)) {
        return array_map(fn ($v) => substitute($v, $vars), $value);
    }
    if (!is_string($value)) {
        return $value;
    }
    if (preg_match('/^\$\{(\w+)\}$/', $value, $m) && array_key_exists($m[1], $vars)) {
        return $vars[$m[1]];
    }
    return preg_replace_callback('/\$\{(\w+)\}/', fn ($m) => (string) ($vars[$m[1]] ?? $m[0]), $value);
}

$vars = [];
$failures = [];
$ran = 0;
$rows = [];
foreach ($scenario['steps'] as $n => $step) {
    $name = $step['call'];
    $where = "step $n ($name)";
    $row = $catalogue[$name] ?? null;
    if ($row === null) {
        $failures[] = "$where: not a catalogue row";
        continue;
    }
    $target = $row['family'] === 'provisioning' ? $account : $client;
    // Named arguments: the row's parameters under their camelCase names, then $options.
    $named = [];
    foreach (substitute($step['args'] ?? [], $vars) as $k => $v) {
        $named[camel($k)] = $v;
    }
    $named['options'] = substitute($step['options'] ?? [], $vars);
    $ran++;
    $rows[$name] = true;
    try {
        $result = $target->{camel($name)}(...$named);
    } catch (CldKit\Exception $e) {
        if (($step['fails'] ?? null) !== $e->getKind()) {
            $failures[] = "$where: " . get_class($e) . " {$e->getKind()}: {$e->getMessage()}";
        } elseif (!in_array(CldKit\Exception::class, class_parents($e), true)) {
            $failures[] = "$where: " . get_class($e) . " is not a per-kind subclass";
        }
        continue;
    } catch (Throwable $e) {
        $failures[] = "$where: " . get_class($e) . ": {$e->getMessage()}";
        continue;
    }
    if (isset($step['fails'])) {
        $failures[] = "$where: no error, expected {$step['fails']}";
        continue;
    }
    foreach ($step['expect'] ?? [] as $path => $want) {
        $got = at($result, $path);
        if (!same($got, $want)) {
            $failures[] = "$where: $path is " . json_encode($got) . ', expected ' . json_encode($want);
        }
    }
    foreach ($step['expect_len'] ?? [] as $path => $len) {
        $got = at($result, $path);
        if (!is_array($got) || !array_is_list($got) || count($got) !== $len) {
            $failures[] = "$where: $path is " . json_encode($got) . ", expected $len items";
        }
    }
    if (isset($step['expect_type'])) {
        $ok = match ($step['expect_type']) {
            'string' => is_string($result),
            'bool' => is_bool($result),
            'list' => is_array($result) && array_is_list($result),
            'map' => is_array($result) && ($result === [] || !array_is_list($result)),
        };
        if (!$ok) {
            $failures[] = "$where: a " . get_debug_type($result) . ", expected a {$step['expect_type']}";
        }
    }
    foreach ($step['save'] ?? [] as $var => $path) {
        $vars[$var] = at($result, $path);
    }
}
$network = array_filter($catalogue, fn ($r) => $r['http'] !== null);
$untested = array_diff(array_keys($network), array_keys($rows));
echo "steps run: ", $ran === count($scenario['steps']) ? 'all' : $ran, "\n";
echo "network rows without a step: ", $untested ? implode(', ', $untested) : 'none', "\n";
echo "failures: ", count($failures), "\n", implode("\n", $failures), $failures ? "\n" : '';
?>
--EXPECT--
steps run: all
network rows without a step: none
failures: 0
