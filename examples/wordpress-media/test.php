<?php
/**
 * Runs the cldkit copy of the WordPress-style media handler:
 *
 * 1. the two copies differ only in their `use` lines;
 * 2. its URLs, <img> tags and webhook check with the corpus's configuration are
 *    cloudinary_php 3.1.2's answers recorded in the conformance corpus (case ids below);
 * 3. against the emulator (CLDKIT_TEST_URL, as tests/c/with-emulators.sh starts it):
 *    the upload, the delivery URL serving it, the library listing, search and deletion.
 *
 *   tests/c/with-emulators.sh php -d extension=cldkit.so examples/wordpress-media/test.php
 *   tests/c/with-emulators.sh php -d extension=ffi -d ffi.enable=1 examples/wordpress-media/test.php  (CLDKIT_LIBRARY)
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings-c/php/src/autoload.php';
require __DIR__ . '/cldkit/MediaHandler.php';

use CldKit\Compat\Configuration\Configuration;
use WpMedia\MediaHandler;

$failures = 0;
function check(string $what, mixed $got, mixed $want): void
{
    global $failures;
    if ($got === $want) {
        echo "ok   $what\n";
        return;
    }
    $failures++;
    echo "FAIL $what\n  got:  ", var_export($got, true), "\n  want: ", var_export($want, true), "\n";
}

// 1. Only the `use` lines (and the line saying which copy it is) differ.
$body = static fn (string $file): array => array_values(preg_grep('/^(use |\s\*\s(\.\.\/cldkit|A copy of))/',
    file($file), PREG_GREP_INVERT));
check('the copies differ only in their use lines', $body(__DIR__ . '/cldkit/MediaHandler.php'),
    $body(__DIR__ . '/cloudinary-php/MediaHandler.php'));
$uses = preg_grep('/^use /', file(__DIR__ . '/cldkit/MediaHandler.php'));
check('the cldkit copy uses CldKit\\Compat only', array_values(preg_grep('/^use CldKit\\\\Compat\\\\/', $uses)), array_values($uses));

// 2. The corpus's configuration and clock; expected values are cloudinary_php's.
$wp = new MediaHandler(['cloud_name' => 'demo', 'api_key' => '1234567890', 'api_secret' => 'abcd',
    'secure' => true, 'analytics' => false]);
Configuration::instance()->fixTime(1700000000);
check('thumbnail tag (image_tag-000002)', $wp->attachmentImage('sample', 'thumbnail'),
    "<img src='https://res.cloudinary.com/demo/image/upload/c_fill,h_100,w_100/sample' height='100' width='100'/>");
check('thumbnail URL (image_tag-000002 src)', $wp->attachmentUrl('sample', 'thumbnail'),
    'https://res.cloudinary.com/demo/image/upload/c_fill,h_100,w_100/sample');
check('medium tag (image_tag-000004)', $wp->attachmentImage('sample', 'medium'),
    "<img src='https://res.cloudinary.com/demo/image/upload/c_fit,w_100/sample'/>");
check('full tag (image_tag-000058)', $wp->attachmentImage('sample', 'full'),
    "<img src='https://res.cloudinary.com/demo/image/upload/f_auto,q_auto/sample'/>");
check('original URL (image_tag-000001 src)', $wp->attachmentUrl('sample', 'original'),
    'https://res.cloudinary.com/demo/image/upload/sample');
check('tag attributes (image_tag-000146)', $wp->attachmentImage('sample', 'original', ['alt' => 'attr alt', 'data-q' => '1']),
    "<img src='https://res.cloudinary.com/demo/image/upload/sample' alt='attr alt' data-q='1'/>");
check('srcset (image_tag-000064)', $wp->responsiveImage('folder/sample', [100, 200]),
    "<img src='https://res.cloudinary.com/demo/image/upload/v1/folder/sample' srcset='https://res.cloudinary.com/demo/image/upload/c_scale,w_100/v1/folder/sample 100w, https://res.cloudinary.com/demo/image/upload/c_scale,w_200/v1/folder/sample 200w'/>");
$note = '{"public_id":"sample","version":1}';
check('webhook (verify_notification-000002)', $wp->verifyNotification($note, '1699999900', 'd47ca1f665f25767592b7782be8a51659ee22764'), true);
check('forged webhook', $wp->verifyNotification($note, '1699999900', 'd47ca1f665f25767592b7782be8a51659ee22765'), false);

// 3. Against the emulator.
$url = getenv('CLDKIT_TEST_URL') ?: exit("no emulator: run under tests/c/with-emulators.sh\n");
$wp = new MediaHandler($url);
$png = base64_decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');
$file = tempnam(sys_get_temp_dir(), 'wp') . '.png';
file_put_contents($file, $png);
$ids = [];
foreach ([41, 42] as $id) {
    $a = $wp->handleUpload($file, $id, "Post $id");
    check("upload of attachment $id", [$a['public_id'], $a['width'], $a['height']], ["wp/$id", 1, 1]);
}
check('the original size serves the upload', file_get_contents($wp->attachmentUrl('wp/41.png', 'original')), $png);
check('the upload answer URL serves it', file_get_contents($a['url']), $png);
$library = $wp->library();
sort($library);
check('library', $library, ['wp/41', 'wp/42']);
check('search', $wp->search('public_id=wp/4*'), ['wp/41', 'wp/42']);
check('delete', $wp->deleteAttachment(41), true);
check('library after delete', $wp->library(), ['wp/42']);
unlink($file);

echo $failures === 0 ? "wordpress-media: all passed\n" : "wordpress-media: $failures failed\n";
exit($failures === 0 ? 0 : 1);
