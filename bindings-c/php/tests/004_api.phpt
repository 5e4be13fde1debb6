--TEST--
Signing, verification, upload requests, download URLs and tags
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = demo();
$p = ['public_id' => 'sample', 'timestamp' => 1315060510, 'value' => 'sample'];
echo CldKit\Client::apiSignRequest($p, 'abcd'), "\n";
echo CldKit\Client::apiSignRequest($p, 'abcd', 'sha256', 1), "\n";
echo $c->signRequest($p), "\n";
var_dump($c->explainSignature(['public_id' => 'a&b', 'timestamp' => 1700000000]));
var_dump($c->verifyApiResponse('sample', 1234567890, 'd67d8bab591ef75a5a612c8812ae72281522dd3b'));
var_dump($c->verifyApiResponse('sample', '1234567891', 'd67d8bab591ef75a5a612c8812ae72281522dd3b'));
var_dump($c->verifyNotification('{}', 1700000000, '93ca69e8bbc79278f74486e8205a38ab1108e48d'));
var_dump($c->verifyNotification('{}', '1699999000', '93ca69e8bbc79278f74486e8205a38ab1108e48d', 10.0));
show_error(fn () => $c->verifyNotification("\xff", 1700000000, 'x'));
var_dump($c->uploadParams(['public_id' => 'x', 'tags' => ['a', 'b'], 'overwrite' => true, 'auto_tagging' => 0.5]));
$form = $c->uploadForm('https://example.com/a.jpg', ['public_id' => 'a']);
echo $form['url'], "\n";
foreach ($form['fields'] as [$k, $v]) { echo "  $k=$v\n"; }
var_dump($form['file'], $form['authorization']);
$call = $c->uploadApiCall('add_tag', ['tag' => 't', 'public_ids' => ['a', 'b']]);
echo $call['url'], ' ', count($call['fields']), "\n";
show_error(fn () => $c->uploadApiCall('frobnicate'));
var_dump($c->signUploadWidget(['source' => 'uw']));
echo $c->privateDownloadUrl('x', 'jpg', ['attachment' => true]), "\n";
echo $c->downloadArchiveUrl(['public_ids' => ['a', 'b']]), "\n";
echo $c->downloadZipUrl(['tags' => 't']), "\n";
echo $c->downloadFolder('f/'), "\n";
echo $c->downloadBackedupAsset('a', 'v'), "\n";
echo $c->zipDownloadUrl('t'), "\n";
echo $c->downloadGeneratedSprite('t'), "\n";
echo $c->downloadMulti(null, ['https://e.com/a.jpg']), "\n";
show_error(fn () => $c->downloadMulti());
echo $c->imageTag('sample.jpg', ['width' => 300, 'crop' => 'scale', 'alt' => 'A']), "\n";
echo $c->videoTag('dog', ['width' => 300]), "\n";
echo $c->pictureTag('sample', ['sources' => [['min_width' => 100, 'transformation' => ['width' => 100]]]]), "\n";
?>
--EXPECT--
e918a796ec67230979a69dfec53a3b5b5be68604
9fbfded88dbfe7de47cb2a0b78849bca12d6b90f90faba7cef9f439c85adbce2
e918a796ec67230979a69dfec53a3b5b5be68604
array(4) {
  ["string_to_sign"]=>
  string(36) "public_id=a%26b&timestamp=1700000000"
  ["signature"]=>
  string(40) "9c904f6cc985268c680b78e4ee0e3838f142ff51"
  ["signature_algorithm"]=>
  string(4) "sha1"
  ["signature_version"]=>
  int(2)
}
bool(true)
bool(false)
bool(true)
bool(false)
CldKit\InvalidOptionError 1 invalid_option: invalid `body`: Body should be type of string
array(5) {
  ["public_id"]=>
  string(1) "x"
  ["overwrite"]=>
  string(1) "1"
  ["auto_tagging"]=>
  string(3) "0.5"
  ["timestamp"]=>
  string(10) "1700000000"
  ["tags"]=>
  string(3) "a,b"
}
https://api.cloudinary.com/v1_1/demo/image/upload
  public_id=a
  timestamp=1700000000
  signature=8ee5fb720df66e55374327c53533f7067b189e0e
  api_key=1234567890
  file=https://example.com/a.jpg
NULL
NULL
https://api.cloudinary.com/v1_1/demo/image/tags 7
CldKit\InvalidOptionError 1 invalid_option: invalid `method`: unknown Upload API call "frobnicate"
array(3) {
  ["timestamp"]=>
  int(1700000000)
  ["signature"]=>
  string(40) "ad40223bce4ea6e29b34b04658bf951d93626fab"
  ["api_key"]=>
  string(10) "1234567890"
}
https://api.cloudinary.com/v1_1/demo/image/download?timestamp=1700000000&public_id=x&format=jpg&attachment=1&signature=2a433c513ff0f0442817b97539584f13878b6549&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/generate_archive?mode=download&public_ids%5B%5D=a&public_ids%5B%5D=b&timestamp=1700000000&signature=8f494d746f1ad92ca91a7baf30b0eef043c4ecec&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/generate_archive?mode=download&tags%5B%5D=t&target_format=zip&timestamp=1700000000&signature=3c54e90a596196b019bcd0cd82242720001d88a4&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/all/generate_archive?mode=download&prefixes%5B%5D=f%2F&timestamp=1700000000&signature=e847c4ef1f640b9ff8369e458301c501c70a2e34&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/download_backup?timestamp=1700000000&asset_id=a&version_id=v&signature=35b5b91b636e286745ff614ff4ab8fc1bdf594bb&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/download_tag.zip?timestamp=1700000000&tag=t&signature=07cee93772616edbb8b139d659665f5cdf778523&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/sprite?mode=download&timestamp=1700000000&tag=t&signature=5de06fc51189da7c6956a42162dde090ae7e5382&api_key=1234567890
https://api.cloudinary.com/v1_1/demo/image/multi?mode=download&timestamp=1700000000&urls%5B%5D=https%3A%2F%2Fe.com%2Fa.jpg&signature=c8c89f0c42ea33a9012effc6f80885ff9f133114&api_key=1234567890
CldKit\InvalidOptionError 1 invalid_option: invalid `tag`: Either 'tag' or 'urls' parameter has to be set but not both
<img alt="A" src="https://res.cloudinary.com/demo/image/upload/c_scale,w_300/sample.jpg" width="300"/>
<video poster="https://res.cloudinary.com/demo/video/upload/w_300/dog.jpg" width="300"><source src="https://res.cloudinary.com/demo/video/upload/w_300/dog.webm" type="video/webm"><source src="https://res.cloudinary.com/demo/video/upload/w_300/dog.mp4" type="video/mp4"><source src="https://res.cloudinary.com/demo/video/upload/w_300/dog.ogv" type="video/ogg"></video>
<picture><source media="(min-width: 100px)" srcset="https://res.cloudinary.com/demo/image/upload/w_100/sample"><img src="https://res.cloudinary.com/demo/image/upload/sample"/></picture>
