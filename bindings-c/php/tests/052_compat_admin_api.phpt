--TEST--
CldKit\Compat\Api\Admin\AdminApi and SearchApi against the emulator: every call with cloudinary_php's names and arguments, ApiResponse with the rate-limit fields, the SDK's exception classes
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
require_once __DIR__ . '/../src/autoload.php';

use CldKit\Compat\Api\Admin\AdminApi;
use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Api\Exception\ApiError;
use CldKit\Compat\Api\Exception\NotFound;
use CldKit\Compat\Api\Search\SearchApi;
use CldKit\Compat\Api\Search\SearchFoldersApi;
use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Cloudinary;

$url = getenv('CLDKIT_TEST_URL') ?: die("no emulator: run the tests with bindings-c/php/run-phpt.sh\n");
// A plugin's own configuration object (the URL text), not the global one.
$cloudinary = new Cloudinary($url);
$admin = $cloudinary->adminApi();
$upload = $cloudinary->uploadApi();

/** Runs one call and prints the keys asked for, or the exception's class. */
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
    printf("%s:%s%s\n", $name, $r instanceof ApiResponse ? '' : ' not an ApiResponse', $shown ? ' ' . implode(' ', $shown) : '');
    return $r;
}

foreach (['a', 'b', 'c'] as $id) {
    $r = $upload->upload('data:image/png;base64,' . base64_encode(png()), ['public_id' => "adm/$id", 'tags' => ['adm_t'],
        'context' => ['k' => $id]]);
}
$assetId = $r['asset_id'];

$ping = show('ping', fn () => $admin->ping(), ['status']);
printf("rate limit: %s %s %s %s\n", get_debug_type($ping->rateLimitAllowed), $ping->rateLimitRemaining > 0 ? 'remaining' : 'none',
    is_int($ping->rateLimitResetAt) ? 'reset time' : 'no reset', implode(',', array_keys($ping->headers)));
var_dump(isset($ping['rate_limit_allowed']), count($ping), iterator_to_array($ping) === ['status' => 'ok']);
show('config', fn () => $admin->config(['settings' => true]), ['cloud_name']);
show('usage', fn () => is_array($admin->usage()->getArrayCopy()) ? $admin->usage() : null);
$tags = show('tags', fn () => $admin->tags());
var_dump(in_array('adm_t', $tags['tags'], true));
show('assetTypes', fn () => $admin->assetTypes(), ['resource_types']);
$ids = fn ($r) => $r === null ? null : "  ids " . implode(',', array_column($r['resources'], 'public_id'));
echo $ids(show('assets', fn () => $admin->assets(['prefix' => 'adm/', 'type' => 'upload']))), "\n";
echo $ids(show('assetsByTag', fn () => $admin->assetsByTag('adm_t', ['max_results' => 10]))), "\n";
echo $ids(show('assetsByContext', fn () => $admin->assetsByContext('k', 'b'))), "\n";
show('assetsByModeration', fn () => $admin->assetsByModeration('manual', 'pending'), ['resources']);
echo $ids(show('assetsByIds', fn () => $admin->assetsByIds(['adm/a', 'adm/b']))), "\n";
echo $ids(show('assetsByAssetIds', fn () => $admin->assetsByAssetIds([$assetId]))), "\n";
show('assetsByAssetFolder', fn () => $admin->assetsByAssetFolder('adm'), ['resources']);
show('visualSearch', fn () => $admin->visualSearch(['text' => 'a dot']));
show('asset', fn () => $admin->asset('adm/a'), ['public_id', 'tags']);
show('assetByAssetId', fn () => $admin->assetByAssetId($assetId), ['public_id']);
show('update', fn () => $admin->update('adm/a', ['tags' => ['adm_t', 'updated']]), ['tags']);
show('restore', fn () => $admin->restore(['adm/gone']));
show('restoreByAssetIds', fn () => $admin->restoreByAssetIds([$assetId]));
show('addRelatedAssets', fn () => $admin->addRelatedAssets('adm/a', ['image/upload/adm/b']));
show('addRelatedAssetsByAssetIds', fn () => $admin->addRelatedAssetsByAssetIds($assetId, [$assetId]));
show('deleteRelatedAssets', fn () => $admin->deleteRelatedAssets('adm/a', ['image/upload/adm/b']));
show('deleteRelatedAssetsByAssetIds', fn () => $admin->deleteRelatedAssetsByAssetIds($assetId, [$assetId]));
show('deleteDerivedAssets', fn () => $admin->deleteDerivedAssets(['nothing']));
show('deleteDerivedByTransformation', fn () => $admin->deleteDerivedByTransformation(['adm/a'], ['w_100']));
show('createFolder', fn () => $admin->createFolder('adm_dir/sub'), ['success']);
$folders = show('rootFolders', fn () => $admin->rootFolders());
echo "  adm_dir listed: ", json_encode(in_array('adm_dir', array_column($folders['folders'], 'name'), true)), "\n";
$sub = show('subFolders', fn () => $admin->subFolders('adm_dir'));
echo "  ", implode(',', array_column($sub['folders'], 'path')), "\n";
show('renameFolder', fn () => $admin->renameFolder('adm_dir/sub', 'adm_dir/sub2'));
show('deleteFolder', fn () => $admin->deleteFolder('adm_dir/sub2'));
show('subFolders of nothing', fn () => $admin->subFolders('no/such'));

show('addMetadataField', fn () => $admin->addMetadataField(['external_id' => 'color', 'type' => 'string', 'label' => 'Color']), ['external_id']);
show('listMetadataFields', fn () => $admin->listMetadataFields());
show('metadataFieldByFieldId', fn () => $admin->metadataFieldByFieldId('color'), ['label']);
show('updateMetadataField', fn () => $admin->updateMetadataField('color', ['label' => 'Colour']), ['label']);
show('addMetadataField enum', fn () => $admin->addMetadataField(['external_id' => 'size', 'type' => 'enum', 'label' => 'Size',
    'datasource' => ['values' => [['external_id' => 's', 'value' => 'S'], ['external_id' => 'm', 'value' => 'M']]]]), ['external_id']);
show('updateMetadataFieldDatasource', fn () => $admin->updateMetadataFieldDatasource('size', [['external_id' => 'l', 'value' => 'L']]));
show('deleteDatasourceEntries', fn () => $admin->deleteDatasourceEntries('size', ['s']));
show('restoreMetadataFieldDatasource', fn () => $admin->restoreMetadataFieldDatasource('size', ['s']));
show('reorderMetadataFieldDatasource', fn () => $admin->reorderMetadataFieldDatasource('size', 'value', 'desc'));
show('reorderMetadataFields', fn () => $admin->reorderMetadataFields('label', 'asc'));
show('deleteMetadataField', fn () => $admin->deleteMetadataField('color'));

show('createStreamingProfile', fn () => $admin->createStreamingProfile('compat_sp', ['representations' => [['transformation' => ['width' => 320]]]]), ['data']);
show('listStreamingProfiles', fn () => $admin->listStreamingProfiles());
show('getStreamingProfile', fn () => $admin->getStreamingProfile('compat_sp'), ['data']);
show('updateStreamingProfile', fn () => $admin->updateStreamingProfile('compat_sp', ['display_name' => 'Compat']));
show('deleteStreamingProfile', fn () => $admin->deleteStreamingProfile('compat_sp'));

show('createTransformation', fn () => $admin->createTransformation('compat_t', ['width' => 100, 'crop' => 'scale']));
show('transformations', fn () => $admin->transformations(['named' => true]), ['transformations']);
show('transformation', fn () => $admin->transformation('t_compat_t'), ['name', 'info']);
show('updateTransformation', fn () => $admin->updateTransformation('t_compat_t', ['allowed_for_strict' => true]));
show('deleteTransformation', fn () => $admin->deleteTransformation('t_compat_t'));

show('createUploadMapping', fn () => $admin->createUploadMapping('compat_m', ['template' => 'https://example.com/img/']));
show('uploadMappings', fn () => $admin->uploadMappings());
show('uploadMapping', fn () => $admin->uploadMapping('compat_m'), ['folder', 'template']);
show('updateUploadMapping', fn () => $admin->updateUploadMapping('compat_m', ['template' => 'https://example.com/other/']));
show('deleteUploadMapping', fn () => $admin->deleteUploadMapping('compat_m'));

show('createUploadPreset', fn () => $admin->createUploadPreset(['name' => 'compat_p', 'folder' => 'p']), ['name']);
show('uploadPresets', fn () => $admin->uploadPresets());
show('uploadPreset', fn () => $admin->uploadPreset('compat_p'), ['name']);
show('updateUploadPreset', fn () => $admin->updateUploadPreset('compat_p', ['folder' => 'q']));
show('deleteUploadPreset', fn () => $admin->deleteUploadPreset('compat_p'));
show('analyze', fn () => $admin->analyze('uri', 'captioning', 'https://example.com/a.jpg'));

$s = show('search', fn () => $cloudinary->searchApi()->expression('tags=adm_t')->sortBy('public_id', 'asc')->maxResults(2)
    ->withField('tags')->fields(['public_id', 'tags'])->execute(), ['total_count']);
echo "search page: ", implode(',', array_column($s['resources'], 'public_id')), ' ', isset($s['next_cursor']) ? 'more' : 'end', "\n";
$s2 = (new SearchApi($url))->expression('tags=adm_t')->sortBy('public_id', 'asc')->maxResults(2)->nextCursor($s['next_cursor'])->execute();
echo "next page: ", implode(',', array_column($s2['resources'], 'public_id')), "\n";
echo json_encode((new SearchApi($url))->expression('x')->sortBy('a')->sortBy('a', 'asc')->aggregate('format')->asArray()), "\n";
show('searchFolders', fn () => (new SearchFoldersApi($url))->expression('name=adm*')->execute(), ['total_count']);

show('deleteAssetsByTag', fn () => $admin->deleteAssetsByTag('nothing_tagged'), ['deleted']);
show('deleteAssetsByPrefix', fn () => $admin->deleteAssetsByPrefix('adm/c'), ['deleted']);
show('deleteAssets', fn () => $admin->deleteAssets(['adm/b']), ['deleted']);
show('deleteAssetsByAssetIds', fn () => $admin->deleteAssetsByAssetIds([$assetId]));
show('deleteAllAssets', fn () => $admin->deleteAllAssets(['keep_original' => true]));
try {
    $admin->asset('adm/none');
} catch (NotFound $e) {
    printf("NotFound %d %s %s\n", $e->getCode(), get_class($e->getPrevious()), $e instanceof ApiError ? 'ApiError' : '-');
}
?>
--EXPECTF--
ping: 'ok'
rate limit: int remaining reset time X-FeatureRateLimit-Limit,X-FeatureRateLimit-Reset,X-FeatureRateLimit-Remaining,X-Request-Id
bool(false)
int(1)
bool(true)
config: 'emulator'
usage:
tags:
bool(true)
assetTypes: ["image","video","raw"]
assets:
  ids adm/a,adm/b,adm/c
assetsByTag:
  ids adm/c,adm/b,adm/a
assetsByContext:
  ids adm/b
assetsByModeration: []
assetsByIds:
  ids adm/a,adm/b
assetsByAssetIds:
  ids adm/c
assetsByAssetFolder: []
visualSearch:
asset: 'adm/a' ["adm_t"]
assetByAssetId: 'adm/c'
update: ["adm_t","updated"]
restore:
restoreByAssetIds:
addRelatedAssets:
addRelatedAssetsByAssetIds:
deleteRelatedAssets:
deleteRelatedAssetsByAssetIds:
deleteDerivedAssets:
deleteDerivedByTransformation:
createFolder: true
rootFolders:
  adm_dir listed: true
subFolders:
  adm_dir/sub
renameFolder:
deleteFolder:
subFolders of nothing: CldKit\Compat\Api\Exception\NotFound
addMetadataField: 'color'
listMetadataFields:
metadataFieldByFieldId: 'Color'
updateMetadataField: 'Colour'
addMetadataField enum: 'size'
updateMetadataFieldDatasource:
deleteDatasourceEntries:
restoreMetadataFieldDatasource:
reorderMetadataFieldDatasource:
reorderMetadataFields:
deleteMetadataField:
createStreamingProfile: {"name":"compat_sp","display_name":null,"predefined":false,"representations":[{"transformation":"w_320"}]}
listStreamingProfiles:
getStreamingProfile: {"name":"compat_sp","display_name":null,"predefined":false,"representations":[{"transformation":"w_320"}]}
updateStreamingProfile:
deleteStreamingProfile:
createTransformation:
transformations: [{"name":"t_compat_t","allowed_for_strict":false,"used":false,"named":true}]
transformation: 't_compat_t' [{"transformation":"c_scale,w_100"}]
updateTransformation:
deleteTransformation:
createUploadMapping:
uploadMappings:
uploadMapping: 'compat_m' 'https://example.com/img/'
updateUploadMapping:
deleteUploadMapping:
createUploadPreset: 'compat_p'
uploadPresets:
uploadPreset: 'compat_p'
updateUploadPreset:
deleteUploadPreset:
analyze:
search: 3
search page: adm/a,adm/b more
next page: adm/c
{"expression":"x","sort_by":[{"a":"asc"}],"aggregate":["format"]}
searchFolders: 1
deleteAssetsByTag: []
deleteAssetsByPrefix: {"adm\/c":"deleted"}
deleteAssets: {"adm\/b":"deleted"}
deleteAssetsByAssetIds:
deleteAllAssets:
NotFound 404 CldKit\NotFoundError ApiError
