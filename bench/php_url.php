<?php
/**
 * µs per call of CldKit\Client::url for two workloads, through the compiled extension
 * and through the FFI class (each in its own PHP process, since both define the same
 * class):
 *
 *   W1: sample.jpg {width 300, height 200, crop fill}
 *   W2: sample.jpg, a four-step chain (fill + face, text overlay, sepia, auto
 *       quality/format) with sign_url
 *
 *   php bench/php_url.php --ext <cldkit.so> --lib <libcldkit.so> [--iterations N] [--profile P]
 *
 * The client runs in the `php` profile (cloudinary_php's URLs) unless --profile names
 * another (default, python, node): both workloads give the same URL in each. Targets
 * through the extension: W1 <= 1.7 µs, W2 <= 8 µs. Each result is checked before
 * timing; the best of 5 rounds is reported, as wall-clock time and as CPU time of the
 * process (getrusage: user + system), which stays meaningful on a busy machine. A
 * last line (no target) times W1 through the drop-in a PHP plugin calls,
 * CldKit\Compat\Asset\Media::fromParams($source, $params)->toUrl().
 */

declare(strict_types=1);

$opts = getopt('', ['ext:', 'lib:', 'iterations:', 'worker:', 'profile:']);
$n = (int) ($opts['iterations'] ?? 200000);
$profile = (string) ($opts['profile'] ?? 'php');

const W1 = ['width' => 300, 'height' => 200, 'crop' => 'fill'];
const W2 = [
    'transformation' => [
        ['width' => 500, 'height' => 500, 'crop' => 'fill', 'gravity' => 'face'],
        ['overlay' => ['font_family' => 'Arial', 'font_size' => 40, 'text' => 'Hello World'],
         'gravity' => 'south_east', 'x' => 10, 'y' => 10, 'color' => 'white'],
        ['effect' => 'sepia:50'],
        ['quality' => 'auto', 'fetch_format' => 'auto'],
    ],
    'sign_url' => true,
];
const EXPECT_W1 = 'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg';
const EXPECT_W2 = 'https://res.cloudinary.com/demo/image/upload/s--dlgedrLD--/c_fill,g_face,h_500,w_500/co_white,g_south_east,l_text:Arial_40:Hello%20World,x_10,y_10/e_sepia:50/f_auto,q_auto/sample.jpg';

/** CPU time used by this process so far, in µs. */
function cpu_us(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] * 1e6 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_sec'] * 1e6 + $r['ru_stime.tv_usec'];
}

if (isset($opts['worker'])) {
    // The FFI classes (only read without the extension) and CldKit\Compat\.
    require __DIR__ . '/../bindings-c/php/src/autoload.php';
    $settings = ['cloud_name' => 'demo', 'api_key' => '1234567890', 'api_secret' => 'abcd',
        'secure' => true, 'analytics' => false];
    $c = new CldKit\Client($settings + ['profile' => $profile]);
    foreach ([['W1', W1, EXPECT_W1], ['W2', W2, EXPECT_W2]] as [$name, $o, $want]) {
        $got = $c->url('sample.jpg', $o);
        if ($got !== $want) {
            fwrite(STDERR, "$name: wrong URL $got\n");
            exit(1);
        }
        $best = $bestCpu = INF;
        for ($round = 0; $round < 5; $round++) {
            $cpu = cpu_us();
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                $c->url('sample.jpg', $o);
            }
            $best = min($best, (hrtime(true) - $t) / 1e3 / $n);
            $bestCpu = min($bestCpu, (cpu_us() - $cpu) / $n);
        }
        printf("%-4s %-4s %7.3f µs/call wall  %7.3f µs/call cpu  (%s profile)\n", $name, $opts['worker'], $best, $bestCpu, $profile);
    }
    if ($profile === 'php') {
        CldKit\Compat\Configuration\Configuration::instance($settings);
        $media = static fn () => (string) CldKit\Compat\Asset\Media::fromParams('sample.jpg', W1)->toUrl();
        if ($media() !== EXPECT_W1) {
            fwrite(STDERR, "Media::fromParams: wrong URL {$media()}\n");
            exit(1);
        }
        $best = INF;
        for ($round = 0; $round < 5; $round++) {
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                $media();
            }
            $best = min($best, (hrtime(true) - $t) / 1e3 / $n);
        }
        printf("W1 via Media::fromParams()->toUrl() %-4s %7.3f µs/call wall (no target)\n", $opts['worker'], $best);
    }
    exit(0);
}

$php = PHP_BINARY;
$self = escapeshellarg(__FILE__);
$status = 0;
if (isset($opts['ext'])) {
    passthru(sprintf('%s -n -d extension=%s %s --worker ext --iterations %d --profile %s', $php, escapeshellarg($opts['ext']),
        $self, $n, escapeshellarg($profile)), $rc);
    $status |= $rc;
}
if (isset($opts['lib'])) {
    passthru(sprintf('CLDKIT_LIBRARY=%s %s -n -d extension=ffi -d ffi.enable=1 -d opcache.enable_cli=0 %s --worker ffi --iterations %d --profile %s',
        escapeshellarg($opts['lib']), $php, $self, $n, escapeshellarg($profile)), $rc);
    $status |= $rc;
}
if (!isset($opts['ext']) && !isset($opts['lib'])) {
    fwrite(STDERR, "usage: php bench/php_url.php --ext <cldkit.so> --lib <libcldkit.so> [--iterations N] [--profile P]\n");
    exit(2);
}
exit($status);
