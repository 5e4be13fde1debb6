<?php
// The CldKit\ classes of this folder, loaded on first use, for projects without
// Composer (with Composer, vendor/autoload.php does the same through composer.json's
// PSR-4 entry). An autoloader only runs for a class that does not exist yet: with
// the cldkit extension loaded, CldKit\Client, Exception, ApiException and Pages are
// the extension's, and none of the FFI files here is ever read.
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'CldKit\\', 7) !== 0) {
        return;
    }
    $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 7)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
