--TEST--
CldKit\Client constructors: config array, CLOUDINARY_URL, environment, profile, fixed clock
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$a = new CldKit\Client(['cloud_name' => 'demo', 'analytics' => false]);
echo $a->url('s'), "\n";
$py = $a->withProfile('python');
echo $py->url('s'), "\n";
echo $a->url('s'), "\n";
$b = CldKit\Client::fromUrl('cloudinary://k:s@demo?analytics=false&secure_distribution=cdn.example.com&private_cdn=true');
echo $b->url('s'), "\n";
putenv('CLOUDINARY_URL=cloudinary://k:s@envcloud?analytics=false');
echo CldKit\Client::fromEnv()->url('s'), "\n";
putenv('CLOUDINARY_URL');
$t = (new CldKit\Client(['cloud_name' => 'demo']))->withFixedTime(1);
echo $t->authToken(['key' => '00112233FF99', 'duration' => 10, 'acl' => '/*']), "\n";
var_dump(CldKit\Client::parseCloudinaryUrl('cloudinary://k:s@demo?secure=true&x[y]=1'));
var_dump(CldKit\Client::parseCloudinaryUrl('account://pk:ps@acc', true));
// A derived client outlives the one it came from.
$parent = new CldKit\Client(['cloud_name' => 'p', 'analytics' => false]);
$child = $parent->withFixedTime(5);
unset($parent);
echo $child->url('s'), "\n";
?>
--EXPECT--
https://res.cloudinary.com/demo/image/upload/s
http://res.cloudinary.com/demo/image/upload/s
https://res.cloudinary.com/demo/image/upload/s
https://cdn.example.com/image/upload/s
https://res.cloudinary.com/envcloud/image/upload/s
__cld_token__=exp=11~acl=%2f*~hmac=e6a06eee33d2b7684e42581fbc91d22b0031d5e0737002352dc3905bf0f0b3fa
array(6) {
  ["cloud_name"]=>
  string(4) "demo"
  ["api_key"]=>
  string(1) "k"
  ["api_secret"]=>
  string(1) "s"
  ["private_cdn"]=>
  bool(false)
  ["secure"]=>
  string(4) "true"
  ["x"]=>
  array(1) {
    ["y"]=>
    string(1) "1"
  }
}
array(3) {
  ["account_id"]=>
  string(3) "acc"
  ["provisioning_api_key"]=>
  string(2) "pk"
  ["provisioning_api_secret"]=>
  string(2) "ps"
}
https://res.cloudinary.com/p/image/upload/s
