--TEST--
CldKit\Compat\Api\Upload\UploadApi against the emulator: every call with cloudinary_php's names and arguments, ApiResponse answers
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
require_once __DIR__ . '/../src/autoload.php';

use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Api\Admin\AdminApi;
use CldKit\Compat\Api\Exception\ApiError;
use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Asset\Media;
use CldKit\Compat\Configuration\Configuration;

$url = getenv('CLDKIT_TEST_URL') ?: die("no emulator: run the tests with bindings-c/php/run-phpt.sh\n");
Configuration::instance($url);
$upload = new UploadApi();
$tag = 'compat_t';

/** Runs one call and prints what it answered (the keys asked for) or the exception's class. */
function show(string $name, callable $f, array $keys = []): mixed
{
    try {
        $r = $f();
    } catch (ApiError | InvalidArgumentException $e) {
        printf("%s: %s\n", $name, get_class($e));
        return null;
    }
    $shown = [];
    foreach ($keys as $k) {
        $v = $r[$k] ?? null;
        $shown[] = is_array($v) ? json_encode($v) : var_export($v, true);
    }
    printf("%s: %s %s\n", $name, $r instanceof ApiResponse ? 'ApiResponse' : get_debug_type($r), implode(' ', $shown));
    return $r;
}

$path = tempnam(sys_get_temp_dir(), 'compat') . '.png';
file_put_contents($path, png());
$r = show('upload path', fn () => $upload->upload($path, ['public_id' => 'compat/a', 'tags' => [$tag]]), ['public_id', 'format', 'width']);
var_dump($r->headers !== [] ? array_keys($r->headers) : null, isset($r['request_id']));
show('upload data URI', fn () => $upload->upload('data:image/png;base64,' . base64_encode(png()),
    ['public_id' => 'compat/b', 'tags' => $tag]), ['public_id', 'tags']);
$fh = fopen($path, 'rb');
show('upload stream', fn () => $upload->upload($fh, ['public_id' => 'compat/c', 'tags' => [$tag]]), ['public_id', 'bytes']);
(new AdminApi())->createUploadPreset(['name' => 'compat_unsigned', 'unsigned' => true, 'folder' => 'unsigned']);
show('unsignedUpload', fn () => $upload->unsignedUpload($path, 'compat_unsigned', ['public_id' => 'u1']), ['public_id']);
show('explicit', fn () => $upload->explicit('compat/a', ['type' => 'upload', 'tags' => [$tag, 'explicit']]), ['public_id', 'tags']);
show('rename', fn () => $upload->rename('compat/b', 'compat/b2'), ['public_id']);
show('addTag', fn () => $upload->addTag('extra', ['compat/a', 'compat/b2']), ['public_ids']);
show('removeTag', fn () => $upload->removeTag('extra', ['compat/a']), ['public_ids']);
show('replaceTag', fn () => $upload->replaceTag('only', 'compat/c'), ['public_ids']);
show('removeAllTags', fn () => $upload->removeAllTags(['compat/c']), ['public_ids']);
show('addContext', fn () => $upload->addContext(['alt' => 'a dot'], ['compat/a']), ['public_ids']);
show('removeAllContext', fn () => $upload->removeAllContext(['compat/a']), ['public_ids']);
show('updateMetadata', fn () => $upload->updateMetadata(['color' => 'red'], ['compat/a']), ['public_ids']);
show('generateSprite', fn () => $upload->generateSprite($tag), ['css_url']);
show('generateSprite urls', fn () => $upload->generateSprite(['urls' => ['https://example.com/x.png']]), ['css_url']);
show('multi', fn () => $upload->multi($tag, ['format' => 'gif']), ['url']);
show('explode', fn () => $upload->explode('compat/a', ['page' => 'all']), ['status']);
show('text', fn () => $upload->text('Hello', ['font_family' => 'Arial', 'font_size' => 12]), ['public_id']);
show('createSlideshow', fn () => $upload->createSlideshow(['manifest_json' => ['w' => 100, 'h' => 100,
    'du' => 2, 'vars' => ['slides' => [['media' => 'i:compat/a']]]], 'public_id' => 'show']), ['status']);
show('createArchive', fn () => $upload->createArchive(['tags' => [$tag]]), ['resource_type', 'file_count']);
show('createZip', fn () => $upload->createZip(['public_ids' => ['compat/a']]), ['file_count']);
show('destroy', fn () => $upload->destroy('compat/c'), ['result']);
show('destroy again', fn () => $upload->destroy('compat/c'), ['result']);
show('generateSprite both', fn () => $upload->generateSprite(['urls' => ['x']], ['format' => 'png']));

// The delivery URL Media::fromParams builds with the same configuration serves the upload.
$src = (string) Media::fromParams('compat/a', ['format' => 'png']);
var_dump(file_get_contents($src) === png());
?>
--EXPECTF--
upload path: ApiResponse 'compat/a' 'png' 1
array(1) {
  [0]=>
  string(12) "X-Request-Id"
}
bool(false)
upload data URI: ApiResponse 'compat/b' ["compat_t"]
upload stream: ApiResponse 'compat/c' 70
unsignedUpload: ApiResponse 'unsigned/u1'
explicit: ApiResponse 'compat/a' ["compat_t","explicit"]
rename: ApiResponse 'compat/b2'
addTag: ApiResponse ["compat\/a","compat\/b2"]
removeTag: ApiResponse ["compat\/a"]
replaceTag: ApiResponse ["compat\/c"]
removeAllTags: ApiResponse ["compat\/c"]
addContext: ApiResponse ["compat\/a"]
removeAllContext: ApiResponse ["compat\/a"]
updateMetadata: ApiResponse ["compat\/a"]
generateSprite: ApiResponse 'http://%s/emulator/image/sprite/v%d/compat_t.css'
generateSprite urls: ApiResponse 'http://%s/emulator/image/sprite/v%d/%x.css'
multi: ApiResponse 'http://%s/emulator/image/multi/v%d/compat_t.gif'
explode: ApiResponse 'processing'
text: ApiResponse '%s'
createSlideshow: ApiResponse 'processing'
createArchive: ApiResponse 'raw' 2
createZip: ApiResponse 1
destroy: ApiResponse 'ok'
destroy again: ApiResponse 'not found'
generateSprite both: InvalidArgumentException
bool(true)
