--TEST--
Parity with the call catalogue (`cldkit calls --json`): every row is a camelCase method of CldKit\Client (CldKit\AccountClient for Provisioning rows) with the row's parameters, typed by the rule, then $options
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';

$catalogue = json_decode(catalogue_json(), true, 512, JSON_THROW_ON_ERROR);

function camel(string $snake): string
{
    return lcfirst(str_replace('_', '', ucwords($snake, '_')));
}

/** The declared types a row's parameter type may have (a hand-written method may take any value: mixed). */
function accepted(string $type, bool $required): array
{
    $base = match ($type) {
        'string', 'file' => ['string'],
        'integer' => ['int', 'float'],
        'boolean' => ['bool'],
        'strings', 'transformation' => ['array|string'],
        'list', 'map' => ['array'],
        'any' => [],
        default => throw new LogicException("unknown parameter type $type"),
    };
    $types = ['mixed'];
    foreach ($base as $t) {
        $types[] = $required ? $t : (str_contains($t, '|') ? "$t|null" : "?$t");
    }
    return $types;
}

$returns = ['url' => 'string', 'html' => 'string', 'text' => 'string', 'text_or_null' => '?string', 'bool' => 'bool', 'map' => 'array', 'response' => 'array'];
$problems = [];
$checked = 0;
foreach ($catalogue['calls'] as $row) {
    $class = $row['family'] === 'provisioning' ? CldKit\AccountClient::class : CldKit\Client::class;
    $method = camel($row['name']);
    $where = "$class::$method ({$row['name']})";
    if (!method_exists($class, $method)) {
        $problems[] = "$where: missing";
        continue;
    }
    $m = new ReflectionMethod($class, $method);
    if (!$m->isPublic() || $m->isStatic()) {
        $problems[] = "$where: not a public instance method";
    }
    $params = $m->getParameters();
    $want = array_map(fn (array $p) => camel($p['name']), $row['params']);
    $want[] = 'options';
    $got = array_map(fn (ReflectionParameter $p) => $p->getName(), array_slice($params, 0, count($want)));
    if ($got !== $want) {
        $problems[] = "$where: parameters (" . implode(', ', $got) . "), want (" . implode(', ', $want) . ")";
        continue;
    }
    foreach ($row['params'] as $i => $p) {
        $type = (string) $params[$i]->getType();
        if (!in_array($type, accepted($p['type'], $p['required']), true)) {
            $problems[] = "$where: \${$want[$i]} is $type for a {$p['type']}";
        }
        if ($params[$i]->isOptional() === $p['required']) {
            $problems[] = "$where: \${$want[$i]} should be " . ($p['required'] ? 'required' : 'optional');
        }
    }
    $options = $params[count($want) - 1];
    if ((string) $options->getType() !== 'array' || !$options->isOptional()) {
        $problems[] = "$where: \$options must be an optional array";
    }
    foreach (array_slice($params, count($want)) as $extra) {
        if (!$extra->isOptional()) {
            $problems[] = "$where: \${$extra->getName()} after \$options must be optional";
        }
    }
    if ((string) $m->getReturnType() !== $returns[$row['returns']]) {
        $problems[] = "$where: returns " . $m->getReturnType() . ", want {$returns[$row['returns']]}";
    }
    $checked++;
}
foreach ([CldKit\Client::class, CldKit\AccountClient::class] as $class) {
    $m = new ReflectionMethod($class, 'call');
    $sig = implode(', ', array_map(fn ($p) => $p->getType() . ' $' . $p->getName() . ($p->isOptional() ? ' = []' : ''), $m->getParameters()));
    echo "$class::call($sig): {$m->getReturnType()}\n";
}
$provisioning = count(array_filter($catalogue['calls'], fn ($r) => $r['family'] === 'provisioning'));
echo "rows: ", $checked === count($catalogue['calls']) && $checked > 150 ? 'all checked' : "$checked checked", "\n";
echo "provisioning rows on AccountClient: ", $provisioning >= 25 ? 'yes' : "only $provisioning", "\n";
echo "problems: ", count($problems), "\n", implode("\n", $problems), $problems ? "\n" : '';
// The error classes: one per kind of the core's error table, under ApiException for API kinds.
foreach (['NotFoundError', 'IoError', 'InvalidOptionError', 'ConfigError'] as $name) {
    echo $name, ' extends ', (new ReflectionClass("CldKit\\$name"))->getParentClass()->getName(), "\n";
}
?>
--EXPECT--
CldKit\Client::call(string $name, array $args = [], array $options = []): mixed
CldKit\AccountClient::call(string $name, array $args = [], array $options = []): mixed
rows: all checked
provisioning rows on AccountClient: yes
problems: 0
NotFoundError extends CldKit\ApiException
IoError extends CldKit\ApiException
InvalidOptionError extends CldKit\Exception
ConfigError extends CldKit\Exception
