--TEST--
CldKit\Exception: codes, kinds and messages for core errors and bad input
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = demo();
var_dump(is_subclass_of('CldKit\Exception', 'RuntimeException'));
show_error(fn () => $c->url('s', ['radius' => [1, 2, 3, 4, 5]]));
show_error(fn () => $c->apiUrl('upload', ['cloud_name' => null]));
show_error(fn () => CldKit\Client::apiSignRequest(['a' => 1], 'abcd', 'md5'));
show_error(fn () => CldKit\Client::apiSignRequest(['a' => 1], 'abcd', 'sha1', -1));
show_error(fn () => new CldKit\Client(['profile' => 'ruby']));
show_error(fn () => new CldKit\Client(['profile' => 3]));
show_error(fn () => CldKit\Client::fromUrl('http://k:s@demo'));
show_error(fn () => $c->withProfile('perl'));
// NUL bytes, invalid UTF-8, non-finite floats.
show_error(fn () => $c->url("sam\0ple"));
show_error(fn () => CldKit\Client::fromUrl("cloudinary://k:s@demo\0"));
show_error(fn () => $c->url("\xff\xfe"));
show_error(fn () => $c->url('s', ['width' => INF]));
show_error(fn () => $c->url('s', ['width' => NAN]));
// Nesting that never ends.
$deep = [];
$p = &$deep;
for ($i = 0; $i < 100; $i++) { $p['t'] = []; $p = &$p['t']; }
unset($p);
show_error(fn () => $c->url('s', ['transformation' => $deep]));
// Handles cannot be cloned.
try { $d = clone $c; } catch (Error $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
echo "done\n";
?>
--EXPECTF--
bool(true)
CldKit\InvalidOptionError 1 invalid_option: invalid `radius`: Invalid radius param
CldKit\ConfigError 2 config: invalid `cloud_name`: Must supply cloud_name
CldKit\SignatureError 3 signature: Unsupported hash algorithm: md5
CldKit\Exception 4 invalid_argument: `signature_version` is out of range
CldKit\ConfigError 2 config: invalid `profile`: unknown profile "ruby" (expected "default", "python", "node" or "php")
CldKit\Exception 4 invalid_argument: `profile` must be a string, found int
CldKit\ConfigError 2 config: %s
CldKit\ConfigError 2 config: invalid `profile`: unknown profile "perl" (expected "default", "python", "node" or "php")
CldKit\Exception 4 invalid_argument: `source` contains a NUL byte
CldKit\Exception 4 invalid_argument: `cloudinary_url` contains a NUL byte
CldKit\Exception 4 invalid_argument: %s
CldKit\Exception 4 invalid_argument: %s
CldKit\Exception 4 invalid_argument: %s
CldKit\Exception 4 invalid_argument: %s
Error: Trying to clone an uncloneable object of class CldKit\Client
done
