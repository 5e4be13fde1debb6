--TEST--
Upload API calls and the Admin API against the emulator, with pagination
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
foreach (['a', 'b', 'c', 'd'] as $id) {
    $c->uploadBytes(png(), ['public_id' => "api/$id", 'tags' => ['api_t']], "$id.png");
}
// Upload API calls, named and by name.
$r = $c->explicit('api/a', ['type' => 'upload', 'tags' => ['api_t', 'explicit']]);
echo "explicit: ", $r['public_id'], ' ', implode(',', $r['tags']), "\n";
$r = $c->rename('api/b', 'api/b2');
echo "rename: ", $r['public_id'], "\n";
$r = $c->addTag('extra', ['api/a', 'api/b2']);
echo "add_tag: ", implode(',', $r['public_ids']), "\n";
$r = $c->removeTag('extra', ['api/a']);
echo "remove_tag: ", implode(',', $r['public_ids']), "\n";
$r = $c->callUploadApi('add_context', ['context' => ['k' => 'v'], 'public_ids' => ['api/c']]);
echo "add_context: ", implode(',', $r['public_ids']), "\n";
$r = $c->destroy('api/d');
echo "destroy: ", $r['result'], "\n";
$r = $c->callUploadApi('destroy', ['public_id' => 'api/d']);
echo "destroy again: ", $r['result'], "\n";

// Admin calls.
echo "ping: ", $c->ping()['status'], "\n";
var_dump(is_int($c->ping()['rate_limit_remaining']));
var_dump(is_array($c->usage()));
$r = $c->resource('api/b2');
echo "resource: ", $r['public_id'], ' ', implode(',', $r['tags']), "\n";
$r = $c->update('api/b2', ['tags' => ['api_t', 'updated']]);
echo "update: ", implode(',', $r['tags']), "\n";
$tags = $c->tags()['tags'];
var_dump(in_array('updated', $tags, true));
$r = $c->resourcesByTag('api_t', ['max_results' => 10]);
$ids = array_column($r['resources'], 'public_id');
sort($ids);
echo "by tag: ", implode(',', $ids), "\n";
$r = $c->admin('resources', [], ['prefix' => 'api/', 'max_results' => 10]);
echo "resources: ", count($r['resources']), "\n";
$r = $c->search('tags=api_t', ['sort_by' => [['public_id' => 'asc']], 'max_results' => 2]);
echo "search: ", $r['total_count'], ' ', implode(',', array_column($r['resources'], 'public_id')), ' ', isset($r['next_cursor']) ? 'more' : 'end', "\n";
echo "create_folder: ", json_encode($c->admin('create_folder', ['path' => 'phpdir/sub'])['success'] ?? null), "\n";
var_dump(in_array('phpdir', array_column($c->rootFolders()['folders'], 'name'), true));
echo "subfolders: ", implode(',', array_column($c->subfolders('phpdir')['folders'], 'path')), "\n";
$c->createUploadPreset(['name' => 'php_preset', 'unsigned' => true, 'folder' => 'presets']);
echo "preset: ", $c->uploadPreset('php_preset')['name'], "\n";
var_dump(in_array('php_preset', array_column($c->uploadPresets()['presets'], 'name'), true));

// Pagination: following next_cursor by hand, and with adminPages().
$pages = 0;
$seen = [];
$cursor = null;
do {
    $r = $c->resourcesByTag('api_t', ['max_results' => 1] + ($cursor ? ['next_cursor' => $cursor] : []));
    $pages++;
    $seen = array_merge($seen, array_column($r['resources'], 'public_id'));
    $cursor = $r['next_cursor'] ?? null;
} while ($cursor);
echo "by hand: $pages pages: ", implode(',', $seen), "\n";
$walked = [];
foreach ($c->adminPages('resources_by_tag', ['tag' => 'api_t'], ['max_results' => 1]) as $i => $page) {
    $walked[$i] = $page['resources'][0]['public_id'];
}
echo "adminPages: ", json_encode($walked), "\n";
$it = $c->adminPages('subfolders', ['path' => 'no/such'], []);
try {
    foreach ($it as $page) {
        echo "unexpected page\n";
    }
} catch (CldKit\ApiException $e) {
    echo "pages error: ", $e->getKind(), ' ', $e->getHttpStatus(), "\n";
}
$r = $c->deleteResources(['api/a', 'api/b2', 'api/c']);
echo "delete_resources: ", json_encode($r['deleted']), "\n";
echo "done\n";
?>
--EXPECTF--
explicit: api/a api_t,explicit
rename: api/b2
add_tag: api/a,api/b2
remove_tag: api/a
add_context: api/c
destroy: ok
destroy again: not found
ping: ok
bool(true)
bool(true)
resource: api/b2 api_t,extra
update: api_t,updated
bool(true)
by tag: api/a,api/b2,api/c
resources: 3
search: 3 api/a,api/b2 more
create_folder: true
bool(true)
subfolders: phpdir/sub
preset: php_preset
bool(true)
by hand: 3 pages: %s
adminPages: ["%s","%s","%s"]
pages error: not_found 404
delete_resources: {"api\/a":"deleted","api\/b2":"deleted","api\/c":"deleted"}
done
