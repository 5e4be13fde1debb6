--TEST--
API errors: CldKit\ApiException with code, kind, HTTP status, request id and reset time; no secret in messages
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = emulator();
function show_api(callable $f): void
{
    try {
        $f();
        echo "no error\n";
    } catch (CldKit\Exception $e) {
        printf("%s %d %s http=%s request_id=%s reset_at=%s: %s\n", get_class($e), $e->getCode(), $e->getKind(),
            var_export($e->getHttpStatus(), true), $e->getRequestId() === null ? 'null' : (strlen($e->getRequestId()) > 0 ? 'yes' : 'empty'),
            $e->getResetAt() === null ? 'null' : ($e->getResetAt() > time() ? 'future' : 'past'), $e->getMessage());
    }
}
var_dump(is_subclass_of('CldKit\ApiException', 'CldKit\Exception'));
show_api(fn () => $c->resource('missing/one'));
show_api(fn () => $c->rename('missing/one', 'missing/two'));
show_api(fn () => $c->uploadBytes('not an image', ['max_retries' => 0], 'fake.png'));
show_api(fn () => $c->upload('/nonexistent/dir/x.png'));
show_api(fn () => $c->admin('resource'));
show_api(fn () => $c->admin('frobnicate'));
show_api(fn () => $c->ping(['timeout' => 'soon']));
show_api(fn () => $c->upload("x\0y"));
show_api(fn () => $c->admin('ping', ['x' => INF]));
show_api(fn () => $c->uploadBytes(png(), ['chunk_size' => 'huge']));

// A wrong secret: 401, and neither secret appears in the message.
$url = getenv('CLDKIT_TEST_URL');
$secret = CldKit\Client::parseCloudinaryUrl($url)['api_secret'];
$wrong = CldKit\Client::fromUrl(str_replace(":$secret@", ':WrongSecret0987@', $url));
foreach ([fn () => $wrong->ping(), fn () => $wrong->uploadBytes(png(), [], 'x.png')] as $call) {
    try {
        $call();
        echo "no error\n";
    } catch (CldKit\ApiException $e) {
        printf("%s %d %s %d, secret in message: %s\n", get_class($e), $e->getCode(), $e->getKind(), $e->getHttpStatus(),
            str_contains($e->getMessage(), 'WrongSecret0987') || str_contains($e->getMessage(), $secret) ? 'yes' : 'no');
        $text = (string) $e;
        echo "secret in string form: ", str_contains($text, 'WrongSecret0987') || str_contains($text, $secret) ? 'yes' : 'no', "\n";
    }
}

// The emulator with --hourly-budget 2: the third Admin call is rate limited (420).
$limited = emulator(true);
echo $limited->ping(['max_retries' => 0])['rate_limit_remaining'], "\n";
echo $limited->ping(['max_retries' => 0])['rate_limit_remaining'], "\n";
show_api(fn () => $limited->ping(['max_retries' => 0]));
echo "done\n";
?>
--EXPECTF--
bool(true)
CldKit\NotFoundError 9 not_found http=404 request_id=yes reset_at=%s: Resource not found - missing/one (HTTP 404) [request id %s]
CldKit\NotFoundError 9 not_found http=404 request_id=yes reset_at=null: %s (HTTP 404) [request id %s]
CldKit\BadRequestError 6 bad_request http=400 request_id=yes reset_at=null: %s (HTTP 400) [request id %s]
CldKit\IoError 16 io http=NULL request_id=null reset_at=null: cannot read /nonexistent/dir/x.png: %s
CldKit\InvalidOptionError 1 invalid_option http=NULL request_id=null reset_at=null: invalid `public_id`: resource() missing required argument: 'public_id'
CldKit\InvalidOptionError %d %s http=NULL request_id=null reset_at=null: %s
CldKit\InvalidOptionError 1 invalid_option http=NULL request_id=null reset_at=null: invalid `timeout`: %s
CldKit\Exception 4 invalid_argument http=NULL request_id=null reset_at=null: `file` contains a NUL byte
CldKit\Exception 4 invalid_argument http=NULL request_id=null reset_at=null: %s
CldKit\InvalidOptionError 1 invalid_option http=NULL request_id=null reset_at=null: invalid `chunk_size`: %s
CldKit\AuthorizationError 7 authorization 401, secret in message: no
secret in string form: no
CldKit\AuthorizationError 7 authorization 401, secret in message: no
secret in string form: no
1
0
CldKit\RateLimitedError 11 rate_limited http=420 request_id=%s reset_at=future: %s (HTTP 420)%A
done
