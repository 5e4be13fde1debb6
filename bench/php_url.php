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
 *   php bench/php_url.php --ext <cldkit.so> --lib <libcldkit.so> [--iterations N]
 *
 * Targets through the extension: W1 <= 1.7 µs, W2 <= 8 µs. Each result is checked
 * before timing; the best of 5 rounds is reported, as wall-clock time and as CPU time
 * of the process (getrusage: user + system), which stays meaningful on a busy machine.
 */

declare(strict_types=1);

$opts = getopt('', ['ext:', 'lib:', 'iterations:', 'worker:']);
$n = (int) ($opts['iterations'] ?? 200000);

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
    if ($opts['worker'] === 'ffi') {
        require __DIR__ . '/../bindings-c/php/src/autoload.php';
    }
    $c = new CldKit\Client(['cloud_name' => 'demo', 'api_key' => '1234567890', 'api_secret' => 'abcd',
        'secure' => true, 'analytics' => false]);
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
        printf("%-4s %-4s %7.3f µs/call wall  %7.3f µs/call cpu\n", $name, $opts['worker'], $best, $bestCpu);
    }
    exit(0);
}

$php = PHP_BINARY;
$self = escapeshellarg(__FILE__);
$status = 0;
if (isset($opts['ext'])) {
    passthru(sprintf('%s -n -d extension=%s %s --worker ext --iterations %d', $php, escapeshellarg($opts['ext']), $self, $n), $rc);
    $status |= $rc;
}
if (isset($opts['lib'])) {
    passthru(sprintf('CLDKIT_LIBRARY=%s %s -n -d extension=ffi -d ffi.enable=1 -d opcache.enable_cli=0 %s --worker ffi --iterations %d',
        escapeshellarg($opts['lib']), $php, $self, $n), $rc);
    $status |= $rc;
}
if (!isset($opts['ext']) && !isset($opts['lib'])) {
    fwrite(STDERR, "usage: php bench/php_url.php --ext <cldkit.so> --lib <libcldkit.so> [--iterations N]\n");
    exit(2);
}
exit($status);
