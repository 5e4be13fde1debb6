<?php
// Loads the FFI implementation of CldKit\Client (use when the cldkit extension is absent).
declare(strict_types=1);

if (!class_exists('CldKit\\Client', false)) {
    require_once __DIR__ . '/Exception.php';
    require_once __DIR__ . '/ApiException.php';
    require_once __DIR__ . '/Pages.php';
    require_once __DIR__ . '/Client.php';
}
