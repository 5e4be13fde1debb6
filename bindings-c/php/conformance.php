<?php
/**
 * Conformance driver: reads cases (JSON Lines, see shared/conformance/README.md) on
 * stdin and writes one {"id", "result"} line per case, computed through the public
 * CldKit\Client API.
 *
 *   php -d extension=cldkit.so bindings-c/php/conformance.php [--profile python|node|php] < cases.jsonl
 *   php -d ffi.enable=1 bindings-c/php/conformance.php --ffi [--profile python|node|php] < cases.jsonl
 *
 * Without --ffi the compiled extension must be loaded; with --ffi it must not be
 * (the FFI class is used; CLDKIT_LIBRARY names libcldkit.so). Every case is run
 * with the clock fixed at 1700000000, as the corpus was recorded. A failed call is
 * {"error": "<kind>: <message>"}; a kind this driver does not know is
 * {"unsupported": kind}. In the node profile each case runs with the Node.js version the
 * npm SDK's results were recorded with as tech_version (unless its config sets one),
 * and sign_request goes through Client::signRequest with the call's secret, algorithm
 * and version as settings (the npm SDK's api_sign_request reads them so).
 */

declare(strict_types=1);

use CldKit\Client;

const CORPUS_CLOCK = 1700000000;
/** The Node.js version the corpus's npm SDK results were recorded with. */
const CORPUS_NODE_VERSION = '20.20.2';

$profile = 'default';
$ffi = false;
$compat = false;
for ($i = 1; $i < $argc; $i++) {
    if ($argv[$i] === '--profile' && isset($argv[$i + 1])) {
        $profile = $argv[++$i];
    } elseif ($argv[$i] === '--ffi') {
        $ffi = true;
    } elseif ($argv[$i] === '--compat') {
        $compat = true;
    } else {
        fwrite(STDERR, "usage: conformance.php [--profile default|python|node|php] [--ffi] [--compat]\n");
        exit(2);
    }
}
if ($ffi) {
    if (extension_loaded('cldkit')) {
        fwrite(STDERR, "--ffi: run PHP without the cldkit extension\n");
        exit(2);
    }
} elseif (!extension_loaded('cldkit')) {
    fwrite(STDERR, "the cldkit extension is not loaded (or pass --ffi)\n");
    exit(2);
}
// The FFI classes (--ffi) and CldKit\Compat\ (--compat, and the php profile's
// sign_request through ApiUtils). With the extension otherwise, no file of src/ is
// read (tests/dist/check_composer.php checks it).
if ($ffi || $compat || $profile === 'php') {
    require __DIR__ . '/src/autoload.php';
}
if ($compat) {
    if ($profile !== 'php') {
        fwrite(STDERR, "--compat: the drop-ins run in the php profile (--profile php)\n");
        exit(2);
    }
    require __DIR__ . '/tests/compat/evaluate.php';
}

/** A decoded JSON object as an array (to_php() keeps list-like objects as stdClass). */
function map_of(mixed $v): mixed
{
    return $v instanceof stdClass ? get_object_vars($v) : $v;
}

/** The options map of an input field (absent: none). */
function opts(array $input, string $name = 'options'): array
{
    $v = map_of($input[$name] ?? []);
    if (!is_array($v)) {
        throw new InvalidArgumentException("`$name` must be a map");
    }
    return $v;
}

/** An upload request in the corpus shape: fields sorted by name (stable). */
function request(array $r): array
{
    $fields = $r['fields'];
    usort($fields, fn ($a, $b) => strcmp($a[0], $b[0]));
    $out = ['url' => $r['url'], 'fields' => $fields];
    if ($r['authorization'] !== null) {
        $out['authorization'] = $r['authorization'];
    }
    return $out;
}

/** The URL kinds: url() for a string source, urlValue() for any other value. */
function delivery_url(Client $c, array $in): mixed
{
    $source = $in['source'] ?? null;
    return is_string($source) ? $c->url($source, opts($in)) : $c->urlValue($source, opts($in));
}

function run_case(Client $c, string $kind, array $in, array $config, string $profile): array
{
    if ($profile === 'node' && $kind === 'sign_request') {
        // The npm SDK's api_sign_request(params, secret, algorithm, version).
        $settings = $config;
        if (array_key_exists('api_secret', $in)) {
            $settings['api_secret'] = $in['api_secret'];
        }
        if (!empty($in['algorithm'])) {
            $settings['signature_algorithm'] = $in['algorithm'];
        }
        if (isset($in['signature_version'])) {
            $settings['signature_version'] = $in['signature_version'];
        }
        return ['signature' => (new Client($settings + ['profile' => 'node']))->signRequest(opts($in, 'params'))];
    }
    if ($profile === 'php' && $kind === 'sign_request') {
        // cloudinary_php's ApiUtils::signParameters($params, $secret, $algorithm, $version).
        $secret = array_key_exists('api_secret', $in) ? $in['api_secret'] : ($config['api_secret'] ?? null);
        $args = [opts($in, 'params'), $secret];
        if (isset($in['algorithm'])) {
            $args[] = $in['algorithm'];
        }
        if (isset($in['signature_version'])) {
            $args[] = $in['signature_version'];
        }
        return ['signature' => CldKit\Compat\Api\ApiUtils::signParameters(...$args)];
    }
    switch ($kind) {
        case 'url':
            return ['url' => delivery_url($c, $in)];
        case 'analytics':
            $url = delivery_url($c, $in);
            $a = null;
            if (is_string($url) && ($q = strpos($url, '?')) !== false) {
                foreach (explode('&', substr($url, $q + 1)) as $pair) {
                    if (str_starts_with($pair, '_a=')) {
                        $a = substr($pair, 3);
                        break;
                    }
                }
            }
            return ['url' => $url, 'a' => $a];
        case 'video_thumbnail_url':
            return ['url' => $c->videoThumbnailUrl($in['public_id'], opts($in))];
        case 'auth_token':
            return ['token' => $c->authToken(opts($in))];
        case 'config_parse':
            return ['config' => Client::parseCloudinaryUrl($in['url'], ($in['env'] ?? '') === 'CLOUDINARY_ACCOUNT_URL', $profile)];
        case 'api_url':
            return ['url' => $c->apiUrl($in['action'], opts($in))];
        case 'sign_request':
            $secret = array_key_exists('api_secret', $in) ? $in['api_secret'] : ($config['api_secret'] ?? '');
            return ['signature' => Client::apiSignRequest(opts($in, 'params'), $secret,
                $in['algorithm'] ?? 'sha1', $in['signature_version'] ?? 2)];
        case 'verify_notification':
            return ['valid' => $c->withFixedTime($in['now'] ?? CORPUS_CLOCK)->verifyNotification(
                $in['body'], $in['timestamp'] ?? null, $in['signature'],
                array_key_exists('valid_for', $in) ? $in['valid_for'] : null)];
        case 'verify_api_response':
            return ['valid' => $c->verifyApiResponse($in['public_id'] ?? null, $in['version'] ?? null, $in['signature'])];
        case 'upload_params':
            return ['params' => $c->uploadParams(opts($in))];
        case 'signed_upload_form':
            if ($profile === 'php') {
                // cloudinary_php's UploadApi::upload request, Authorization header included.
                return request($c->uploadApiCall('upload', ['file' => $in['file']], opts($in)));
            }
            return request($c->uploadForm($in['file'], opts($in)));
        case 'upload_api_call':
            return request($c->uploadApiCall($in['method'], opts($in, 'args'), opts($in)));
        case 'private_download_url':
            return ['url' => $c->privateDownloadUrl($in['public_id'] ?? null, $in['format'] ?? null, opts($in))];
        case 'download_archive_url':
            return ['url' => $c->downloadArchiveUrl(opts($in))];
        case 'download_zip_url':
            return ['url' => $c->downloadZipUrl(opts($in))];
        case 'download_folder':
            return ['url' => $c->downloadFolder($in['folder_path'] ?? null, opts($in))];
        case 'download_backedup_asset':
            return ['url' => $c->downloadBackedupAsset($in['asset_id'] ?? null, $in['version_id'] ?? null, opts($in))];
        case 'zip_download_url':
            return ['url' => $c->zipDownloadUrl($in['tag'] ?? null, opts($in))];
        case 'download_generated_sprite':
            return ['url' => $c->downloadGeneratedSprite($in['tag'] ?? null, $in['urls'] ?? null, opts($in))];
        case 'download_multi':
            return ['url' => $c->downloadMulti($in['tag'] ?? null, $in['urls'] ?? null, opts($in))];
        case 'image_tag':
            return ['html' => $c->imageTag($in['public_id'], opts($in))];
        case 'video_tag':
            return ['html' => $c->videoTag($in['public_id'], opts($in))];
        case 'picture_tag':
            return ['html' => $c->pictureTag($in['public_id'], opts($in))];
        default:
            return ['unsupported' => $kind];
    }
}

/**
 * Decoded JSON as PHP option values: objects become arrays in key order, except an
 * object that would read as a list (empty, or keys "0".."n-1"), which stays a
 * stdClass, PHP's way to write such a map. 2.0 decodes to float(2.0) and is passed
 * on as 2.0.
 */
function to_php(mixed $v): mixed
{
    if (is_array($v)) {
        return array_map(to_php(...), $v);
    }
    if ($v instanceof stdClass) {
        $a = array_map(to_php(...), get_object_vars($v));
        return array_is_list($a) ? (object) $a : $a;
    }
    return $v;
}

$flags = JSON_PRESERVE_ZERO_FRACTION | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE;
while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') {
        continue;
    }
    $case = to_php(json_decode($line, false, 512, JSON_THROW_ON_ERROR));
    try {
        $config = map_of($case['config'] ?? []);
        if ($profile === 'node' && !array_key_exists('tech_version', $config)) {
            $config['tech_version'] = CORPUS_NODE_VERSION;
        }
        $kind = (string) ($case['kind'] ?? '');
        $result = $compat ? compat_case($kind, map_of($case['input'] ?? []), $config, CORPUS_CLOCK) : null;
        if ($result === null) {
            $client = (new Client($config + ['profile' => $profile]))->withFixedTime(CORPUS_CLOCK);
            $result = run_case($client, $kind, map_of($case['input'] ?? []), $config, $profile);
        }
    } catch (CldKit\Exception $e) {
        $result = ['error' => $e->getKind() . ': ' . $e->getMessage()];
    } catch (TypeError | ValueError | InvalidArgumentException $e) {
        // CldKit\Compat throws cloudinary_php's exception classes with the core's error as
        // the previous one: that one is reported, as for the Client's calls. Else the PHP
        // signature rejected the input type (e.g. a non-string public id).
        $core = $e->getPrevious();
        $result = ['error' => $core instanceof CldKit\Exception
            ? $core->getKind() . ': ' . $core->getMessage()
            : get_class($e) . ': ' . $e->getMessage()];
    }
    echo json_encode(['id' => $case['id'] ?? null, 'result' => $result], $flags), "\n";
}
