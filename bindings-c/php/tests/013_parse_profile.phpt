--TEST--
CldKit\Client::parseCloudinaryUrl in a profile: the corpus's npm SDK answers in "node", the old forms unchanged
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';

function sorted(mixed $v): mixed
{
    if (!is_array($v)) {
        return $v;
    }
    ksort($v);
    return array_map('sorted', $v);
}

function parsed(string $url, bool $account, ?string $profile): array
{
    try {
        return ['config' => CldKit\Client::parseCloudinaryUrl($url, $account, $profile)];
    } catch (CldKit\Exception $e) {
        return ['error' => $e->getKind()];
    }
}

$shared = getenv('CLDKIT_SHARED') ?: __DIR__ . '/../../../../shared';
$cases = [];
foreach (glob("$shared/conformance/*.jsonl") as $file) {
    foreach (file($file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
        $c = json_decode($line, true);
        if ($c['kind'] === 'config_parse') {
            $cases[] = $c;
        }
    }
}
$nodeOnly = 0;
$bad = [];
foreach ($cases as $c) {
    $nodeOnly += isset($c['expected_node']) ? 1 : 0;
    $account = ($c['input']['env'] ?? '') === 'CLOUDINARY_ACCOUNT_URL';
    foreach (['node' => $c['expected_node'] ?? $c['expected'], null => $c['expected']] as $p => $want) {
        $profile = $p === '' ? null : $p;
        $got = parsed($c['input']['url'], $account, $profile);
        $ok = isset($want['error']) ? isset($got['error']) : sorted($got) === sorted($want);
        if (!$ok) {
            $bad[] = $c['id'] . ' (' . ($profile ?? 'no profile') . ')';
        }
    }
}
echo "cases with a node answer: ", $nodeOnly > 0 ? "yes" : "no", "\n";
echo "mismatches: ", $bad ? implode(', ', $bad) : "none", "\n";
// The old call forms, and the profile spelled out.
echo CldKit\Client::parseCloudinaryUrl('cloudinary://key:secret@MixedCase')['cloud_name'], "\n";
echo CldKit\Client::parseCloudinaryUrl('cloudinary://key:secret@MixedCase', false)['cloud_name'], "\n";
echo CldKit\Client::parseCloudinaryUrl('cloudinary://key:secret@MixedCase', false, 'default')['cloud_name'], "\n";
echo CldKit\Client::parseCloudinaryUrl('cloudinary://key:secret@MixedCase', profile: 'node')['cloud_name'], "\n";
show_error(fn () => CldKit\Client::parseCloudinaryUrl('cloudinary://k:s@demo', false, 'ruby'));
show_error(fn () => CldKit\Client::parseCloudinaryUrl('cloudinary://k:s@demo', false, "no\0de"));
?>
--EXPECTF--
cases with a node answer: yes
mismatches: none
mixedcase
mixedcase
mixedcase
MixedCase
CldKit\ConfigError %d config: %s
CldKit\Exception 4 invalid_argument: `profile` contains a NUL byte
