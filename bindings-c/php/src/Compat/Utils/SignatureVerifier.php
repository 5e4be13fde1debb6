<?php

declare(strict_types=1);

namespace CldKit\Compat\Utils;

use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's `Cloudinary\Utils\SignatureVerifier`: checks webhook notifications
 * and API responses with the global configuration's api_secret (SHA-1, as the SDK).
 * Empty or wrongly typed arguments and a missing secret are InvalidArgumentExceptions.
 */
class SignatureVerifier
{
    /**
     * Whether $signature (the X-Cld-Signature header) signs $body and $timestamp (the
     * X-Cld-Timestamp header) and the timestamp is at most $validFor seconds old.
     */
    public static function verifyNotificationSignature(
        ?string $body,
        int|string|null $timestamp,
        ?string $signature,
        int|string $validFor = 7200,
    ): bool {
        $client = Configuration::instance()->client();
        return Engine::local(fn () => $client->verifyNotification((string) $body, $timestamp, (string) $signature,
            is_numeric($validFor) ? (float) $validFor : throw new \InvalidArgumentException(
                'validFor must be one of the following types: int|string')));
    }

    /** Whether $signature (the X-Cld-Signature header) signs $publicId and $version. */
    public static function verifyApiResponseSignature(string $publicId, int|string $version, string $signature): bool
    {
        $client = Configuration::instance()->client();
        return Engine::local(fn () => $client->verifyApiResponse($publicId, $version, $signature));
    }
}
