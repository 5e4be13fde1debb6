--TEST--
No secret in var_dump/print_r/var_export/debug_zval_dump of a client, nor in exceptions (messages, traces)
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$secrets = ['Sup3rS3cr3tApi', 'OauthT0kenXyz', 'pa55word', 'acctsecret'];
// Everything goes to 127.0.0.1: port 9 refuses connections.
$config = ['cloud_name' => 'demo', 'api_key' => '1234', 'api_secret' => 'Sup3rS3cr3tApi',
    'oauth_token' => 'OauthT0kenXyz', 'api_proxy' => 'http://user:pa55word@127.0.0.1:9/',
    'account_url' => 'account://key:acctsecret@acct', 'upload_prefix' => 'http://127.0.0.1:9',
    'analytics' => false];
$c = new CldKit\Client($config);
$url = 'cloudinary://1234:Sup3rS3cr3tApi@demo?oauth_token=OauthT0kenXyz&upload_prefix=http://127.0.0.1:9'
    . '&api_proxy=' . urlencode('http://user:pa55word@127.0.0.1:9/');
$d = CldKit\Client::fromUrl($url);

$shown = [];
foreach (['config' => $c, 'url' => $d, 'derived' => $c->withFixedTime(1)] as $name => $client) {
    ob_start();
    var_dump($client);
    debug_zval_dump($client);
    $shown["$name: var_dump"] = ob_get_clean();
    $shown["$name: print_r"] = print_r($client, true);
    $shown["$name: var_export"] = var_export($client, true);
    $shown["$name: json_encode"] = (string) json_encode($client);
    $shown["$name: get_object_vars"] = print_r(get_object_vars($client), true);
    $shown["$name: array cast"] = print_r((array) $client, true);
}
$first = strtok($shown['config: var_dump'], "\n");
echo 'var_dump: ', substr($first, 0, strpos($first, '#')), ' ', substr($first, strpos($first, ' (')), "\n";

// Exceptions with secrets among the arguments of the frames they come through.
$calls = [
    'constructor' => fn () => new CldKit\Client($config + ['profile' => 'bogus']),
    'constructor again' => fn () => $c->__construct($config),
    'fromUrl' => fn () => CldKit\Client::fromUrl("$url\0"),
    'apiSignRequest' => fn () => CldKit\Client::apiSignRequest(['a' => 1], 'Sup3rS3cr3tApi', 'md5'),
    'ping through the proxy' => fn () => $c->ping(['max_retries' => 0]),
    'upload through the proxy' => fn () => $d->uploadBytes('abc', ['max_retries' => 0], 'a.txt'),
    'upload with progress' => fn () => $c->uploadBytes('abc', ['max_retries' => 0], 'a.txt', function () {}),
    'bad api_proxy' => fn () => (new CldKit\Client(['api_proxy' => 'http://user:pa55word@[bad'] + $config))->ping(),
];
foreach ($calls as $what => $call) {
    try {
        $call();
        echo "$what: no error\n";
    } catch (CldKit\Exception $e) {
        echo "$what: ", $e->getKind(), "\n";
        $shown["$what: message"] = $e->getMessage();
        $shown["$what: string"] = (string) $e;
        $shown["$what: print_r"] = print_r($e, true);
        ob_start();
        var_dump($e->getTrace());
        $shown["$what: trace"] = ob_get_clean();
    }
}
$leaks = 0;
foreach ($shown as $what => $text) {
    foreach ($secrets as $secret) {
        if (str_contains($text, $secret)) {
            echo "LEAK of $secret in $what:\n$text\n";
            $leaks++;
        }
    }
}
printf("%d outputs checked, %d leaks\n", count($shown), $leaks);
?>
--EXPECT--
var_dump: object(CldKit\Client)  (0) {
constructor: config
constructor again: invalid_argument
fromUrl: invalid_argument
apiSignRequest: signature
ping through the proxy: network
upload through the proxy: network
upload with progress: network
bad api_proxy: invalid_option
50 outputs checked, 0 leaks
