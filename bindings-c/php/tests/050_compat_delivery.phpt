--TEST--
CldKit\Compat: cloudinary_php's params entry points give the PHP SDK's URLs, tags and signatures (corpus expected_php)
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
require_once __DIR__ . '/../src/autoload.php';

use CldKit\Compat\Api\ApiUtils;
use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Asset\File;
use CldKit\Compat\Asset\Image;
use CldKit\Compat\Asset\Media;
use CldKit\Compat\Asset\Video;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Tag\ImageTag;
use CldKit\Compat\Tag\VideoTag;
use CldKit\Compat\Tag\VideoThumbnailTag;
use CldKit\Compat\Utils\SignatureVerifier;

// The corpus's configuration, as a plugin sets it up (sections), at the corpus's clock.
Configuration::instance(['cloud' => ['cloud_name' => 'demo', 'api_key' => '1234567890', 'api_secret' => 'abcd'],
    'url' => ['secure' => true, 'analytics' => false]])->fixTime(1700000000);
echo Configuration::instance()->cloud->cloudName, ' ', var_export(Configuration::instance()->url->secure, true), "\n";

// Every expected value below is the corpus's cloudinary_php 3.1.2 answer (case id).
echo Media::fromParams('sample', ['size' => 'abc'])->toUrl(), "\n";                       // url-000089
echo Media::fromParams('http://example.com/a.jpg', ['resource_type' => 'raw']), "\n";  // url-001162
echo Media::fromParams('sample', ['resource_type' => 'video', 'type' => 'upload', 'url_suffix' => 'seo',
    'sign_url' => true, 'format' => 'jpg']), "\n";                                        // url-001808
echo Media::fromParams('日本', ['sign_url' => true, 'transformation' => [['width' => 10], ['effect' => 'sepia']],
    'version' => 12]), "\n";                                                              // url-003243
echo Image::fromParams('sample', ['crop' => 'fit'])->toUrl(), "\n";                      // url-000093
echo Video::fromParams('folder/sub/pic.png', ['keyframe_interval' => 0])->toUrl(), "\n"; // url-000708
echo File::fromParams('sample', ['type' => 'upload', 'url_suffix' => 'seo', 'format' => 'jpg',
    'use_root_path' => true])->toUrl(), "\n";                                             // url-001777
$u = Media::fromParams('https://example.com/a b.jpg?x=1&y=2', ['type' => 'fetch', 'sign_url' => true])->toUrl();
echo $u, "\n";                                                                            // url-001680
echo $u->getScheme(), ' ', $u->getHost(), ' ', $u->getQuery() === '' ? 'no query' : 'query', "\n";

echo ImageTag::fromParams('sample'), "\n";                                                // image_tag-000001
echo ImageTag::fromParams('sample', ['width' => 100, 'height' => 100, 'crop' => 'fill'])->toTag(), "\n"; // image_tag-000002
echo VideoTag::fromParams('dog')->serialize(), "\n";                                     // video_tag-000001
// VideoThumbnailTag is an ImageTag of the video's jpg thumbnail (video_thumbnail_url-000004's URL).
echo VideoThumbnailTag::fromParams('dog', ['start_offset' => 'auto']), "\n";

// ApiUtils::signParameters (sign_request-000031 and -000040: 0 and 1.0 as PHP signs them).
echo ApiUtils::signParameters(['public_id' => 'sample', 'timestamp' => 1315060510, 'value' => 0], 'abcd', 'sha1'), "\n";
echo ApiUtils::signParameters(['public_id' => 'sample', 'timestamp' => 1315060510, 'value' => 1.0], 'abcd'), "\n";
echo ApiUtils::signParameters([], 'abcd'), "\n";                                          // sign_request-000145
$p = ['public_id' => 'sample', 'timestamp' => 1315060510, 'value' => 0];
ApiUtils::signRequest($p, Configuration::instance()->cloud);
echo $p['signature'], ' ', $p['api_key'], "\n";

// SignatureVerifier with the global configuration's secret.
$body = '{"public_id":"sample","version":1}';
var_dump(SignatureVerifier::verifyNotificationSignature($body, 1699999900, 'd47ca1f665f25767592b7782be8a51659ee22764', 7200)); // verify_notification-000001
var_dump(SignatureVerifier::verifyNotificationSignature($body, 1699999900, 'd47ca1f665f25767592b7782be8a51659ee22764'));       // -000002
var_dump(SignatureVerifier::verifyNotificationSignature($body, 1699999900, 'd47ca1f665f25767592b7782be8a51659ee22764', 50));
var_dump(SignatureVerifier::verifyApiResponseSignature('sample', 1234567890, 'd67d8bab591ef75a5a612c8812ae72281522dd3b')); // verify_api_response-000007
var_dump(SignatureVerifier::verifyApiResponseSignature('sample', 1234567890, 'd67d8bab591ef75a5a612c8812ae72281522dd00')); // -000008
try {
    SignatureVerifier::verifyNotificationSignature('', 1699999900, 'x');
} catch (InvalidArgumentException $e) {
    echo "empty body: ", get_class($e), "\n";
}

// The download URLs of UploadApi (the corpus's case ids).
$api = new UploadApi();
echo $api->privateDownloadUrl('sample', 'jpg'), "\n";                       // private_download_url-000001
echo $api->downloadArchiveUrl(['public_ids' => ['a', 'b']]), "\n";           // download_archive_url-000001
echo $api->downloadZipUrl(['public_ids' => ['a', 'b']]), "\n";               // download_zip_url-000001
echo $api->downloadFolder('folder'), "\n";                                   // download_folder-000001
echo $api->downloadGeneratedSprite('logos'), "\n";                           // download_generated_sprite-000001
echo $api->downloadMulti('logos'), "\n";                                     // download_multi-000001
echo $api->downloadBackedupAsset('b71b23d9c89a81a254b88a91a9dad8cd', 'v 2'), "\n"; // download_backedup_asset-000002

// The same settings from CLOUDINARY_URL, read by a fresh Configuration.
putenv('CLOUDINARY_URL=cloudinary://1234567890:abcd@other');
$c = new Configuration();
echo $c->cloud->cloudName, ' ', $c->cloud->apiKey, ' ', isset($c->cloud->apiSecret) ? 'secret set' : 'no secret', "\n";
var_dump(str_contains(print_r($c, true), 'abcd'));
try {
    Media::fromParams(null, []); // analytics-000020: a TypeError in cloudinary_php too
} catch (TypeError $e) {
    echo "TypeError\n";
}
?>
--EXPECT--
demo true
https://res.cloudinary.com/demo/image/upload/w_abc/sample
https://res.cloudinary.com/demo/raw/upload/http://example.com/a.jpg
https://res.cloudinary.com/demo/videos/s--lGdq5NKO--/sample/seo.jpg
https://res.cloudinary.com/demo/image/upload/s--09Z6ISH3--/w_10/e_sepia/v12/%E6%97%A5%E6%9C%AC
https://res.cloudinary.com/demo/image/upload/c_fit/sample
https://res.cloudinary.com/demo/video/upload/ki_0.0/v1/folder/sub/pic.png
https://res.cloudinary.com/demo/sample/seo.jpg
https://res.cloudinary.com/demo/image/fetch/s--ul1d85to--/https://example.com/a%20b.jpg%3Fx%3D1%26y%3D2
https res.cloudinary.com no query
<img src='https://res.cloudinary.com/demo/image/upload/sample'/>
<img src='https://res.cloudinary.com/demo/image/upload/c_fill,h_100,w_100/sample' height='100' width='100'/>
<video poster='https://res.cloudinary.com/demo/video/upload/dog.jpg'><source src='https://res.cloudinary.com/demo/video/upload/dog.webm' type='video/webm'><source src='https://res.cloudinary.com/demo/video/upload/dog.mp4' type='video/mp4'><source src='https://res.cloudinary.com/demo/video/upload/dog.ogv' type='video/ogg'></video>
<img src='https://res.cloudinary.com/demo/video/upload/so_auto/dog.jpg'/>
646655e0a532e99d3c9e049e0f0717ef08f7b3ef
c04db0b63a9c53ecdddf1c567e67232ba78636a5
81fe8bfe87576c3ecb22426f8e57847382917acf
646655e0a532e99d3c9e049e0f0717ef08f7b3ef 1234567890
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
empty body: InvalidArgumentException
https://api.cloudinary.com/v1_1/demo/image/download?public_id=sample&format=jpg&timestamp=1700000000&signature=9aeab8f1649ad1f7b3a2cf7118a12ead63bce0df&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/generate_archive?mode=download&public_ids%5B%5D=a&public_ids%5B%5D=b&timestamp=1700000000&signature=8f494d746f1ad92ca91a7baf30b0eef043c4ecec&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/generate_archive?target_format=zip&mode=download&public_ids%5B%5D=a&public_ids%5B%5D=b&timestamp=1700000000&signature=ce3759b5101ac1127c9823c550119260608e8ef9&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/all/generate_archive?mode=download&prefixes%5B%5D=folder&timestamp=1700000000&signature=bc6c33a2687067ea7b97409a327fb83bbd9817b4&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/sprite?tag=logos&mode=download&timestamp=1700000000&signature=6687eb327a7722d39d193add8f046d23b586d389&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/multi?tag=logos&mode=download&timestamp=1700000000&signature=6687eb327a7722d39d193add8f046d23b586d389&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/download_backup?asset_id=b71b23d9c89a81a254b88a91a9dad8cd&version_id=v+2&timestamp=1700000000&signature=32bad02a0e7b154aea3332f74357a30d4df11bbf&api_key=1234567890
other 1234567890 secret set
bool(false)
TypeError
