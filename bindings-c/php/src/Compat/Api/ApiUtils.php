<?php

declare(strict_types=1);

namespace CldKit\Compat\Api;

use CldKit\Client;
use CldKit\Compat\Configuration\ConfigSection;
use CldKit\Compat\Internal\Engine;

/** cloudinary_php's `Cloudinary\Api\ApiUtils`: the signatures of API parameters. */
class ApiUtils
{
    /** @var array{0: string, 1: Client}|null the last secret's client, reused */
    private static ?array $signer = null;

    /**
     * The signature of $parameters as cloudinary_php computes it (its serialization of
     * values, key order and `&` escaping from version 2), with $secret.
     *
     * @param array<string, mixed> $parameters
     */
    public static function signParameters(
        array $parameters,
        #[\SensitiveParameter] string $secret,
        string $signatureAlgorithm = 'sha1',
        int $signatureVersion = 2,
    ): string {
        $key = "$signatureAlgorithm\0$signatureVersion\0$secret";
        if (self::$signer === null || self::$signer[0] !== $key) {
            $client = Engine::local(fn () => new Client(['api_secret' => $secret,
                'signature_algorithm' => $signatureAlgorithm, 'signature_version' => $signatureVersion,
                'profile' => 'php']));
            self::$signer = [$key, $client];
        }
        $client = self::$signer[1];
        // The parameters are a map, also when empty (a JSON object, not a list).
        return Engine::local(fn () => $client->call('sign_request', ['params' => (object) $parameters]));
    }

    /**
     * Adds `signature` (with the cloud section's secret, algorithm and version) and
     * `api_key` to $parameters.
     *
     * @param array<string, mixed>|null $parameters
     */
    public static function signRequest(?array &$parameters, ConfigSection $cloudConfig): void
    {
        $parameters['signature'] = self::signParameters(
            $parameters,
            (string) $cloudConfig->apiSecret,
            (string) ($cloudConfig->signatureAlgorithm ?? 'sha1'),
            (int) ($cloudConfig->signatureVersion ?? 2),
        );
        $parameters['api_key'] = $cloudConfig->apiKey;
    }
}
