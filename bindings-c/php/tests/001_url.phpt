--TEST--
CldKit\Client::url: W1, W2, value types and key order
--FILE--
<?php
require __DIR__ . '/bootstrap.inc';
$c = demo();
echo $c->url('sample.jpg', ['width' => 300, 'height' => 200, 'crop' => 'fill']), "\n";
echo $c->url('sample.jpg', [
    'transformation' => [
        ['width' => 500, 'height' => 500, 'crop' => 'fill', 'gravity' => 'face'],
        ['overlay' => ['font_family' => 'Arial', 'font_size' => 40, 'text' => 'Hello World'],
         'gravity' => 'south_east', 'x' => 10, 'y' => 10, 'color' => 'white'],
        ['effect' => 'sepia:50'],
        ['quality' => 'auto', 'fetch_format' => 'auto'],
    ],
    'sign_url' => true,
]), "\n";
// Floats keep their fraction; ints do not get one.
echo $c->url('sample', ['dpr' => 2.0, 'width' => 2, 'height' => 0.5]), "\n";
// Booleans stay booleans (secure false gives http).
echo $c->url('sample', ['secure' => false, 'version' => 12]), "\n";
// Key order of raw variables is kept.
echo $c->url('sample', ['variables' => [['$b', 1], ['$a', 2]]]), "\n";
// A stdClass is a map even when empty (here: the default border).
echo $c->url('sample', ['border' => new stdClass()]), "\n";
echo $c->url('', []), "|\n";
echo $c->url('café/über ö.png'), "\n";
var_dump($c->urlValue(null, ['width' => 1]));
var_dump($c->urlValue('s'));
echo $c->videoThumbnailUrl('dog', ['width' => 100]), "\n";
echo $c->apiUrl('upload', ['resource_type' => 'raw']), "\n";
?>
--EXPECT--
https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg
https://res.cloudinary.com/demo/image/upload/s--dlgedrLD--/c_fill,g_face,h_500,w_500/co_white,g_south_east,l_text:Arial_40:Hello%20World,x_10,y_10/e_sepia:50/f_auto,q_auto/sample.jpg
https://res.cloudinary.com/demo/image/upload/dpr_2.0,h_0.5,w_2/sample
http://res.cloudinary.com/demo/image/upload/v12/sample
https://res.cloudinary.com/demo/image/upload/$b_1,$a_2/sample
https://res.cloudinary.com/demo/image/upload/bo_2px_solid_black/sample
|
https://res.cloudinary.com/demo/image/upload/v1/caf%C3%A9/%C3%BCber%20%C3%B6.png
NULL
string(46) "https://res.cloudinary.com/demo/image/upload/s"
https://res.cloudinary.com/demo/video/upload/w_100/dog.jpg
https://api.cloudinary.com/v1_1/demo/raw/upload
