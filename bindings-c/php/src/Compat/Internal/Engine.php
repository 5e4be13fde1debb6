<?php

declare(strict_types=1);

namespace CldKit\Compat\Internal;

use CldKit\Client;
use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Api\Exception\ApiError;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Exception;

/**
 * @internal What the compat classes share: the configuration they run with and the
 * conversion of cldkit's results and errors into cloudinary_php's.
 */
final class Engine
{
    /** cldkit's error kinds for bad input: cloudinary_php's InvalidArgumentException. */
    private const INPUT_ERRORS = ['invalid_argument', 'invalid_option', 'config', 'signature'];

    /**
     * The configuration of an API class: the global one, or one built from the
     * constructor's argument (a Configuration, an array or a CLOUDINARY_URL).
     */
    public static function configuration(mixed $configuration): Configuration
    {
        if ($configuration === null) {
            return Configuration::instance();
        }
        if ($configuration instanceof Configuration) {
            return $configuration;
        }
        if (is_array($configuration) || is_string($configuration)) {
            return new Configuration($configuration);
        }
        throw new \InvalidArgumentException('The configuration must be a Configuration, an array or a CLOUDINARY_URL');
    }

    /**
     * Runs an API call and returns its result as an ApiResponse; a failed call throws
     * the ApiError subclass of its HTTP status (cldkit's exception as the previous).
     *
     * @param callable(Client): array<string, mixed> $call
     */
    public static function api(Configuration $config, callable $call): ApiResponse
    {
        try {
            return ApiResponse::fromResult($call($config->client()));
        } catch (Exception $e) {
            if (in_array($e->getKind(), self::INPUT_ERRORS, true)) {
                throw new \InvalidArgumentException($e->getMessage(), 0, $e);
            }
            $class = ApiError::classFor($e->getKind());
            throw new $class($e->getMessage(), $e->getHttpStatus() ?? 0, $e);
        }
    }

    /**
     * Runs a local computation (URL, tag, signature, download URL): cldkit's
     * invalid-input errors are the InvalidArgumentException cloudinary_php throws.
     *
     * @template T
     * @param callable(): T $f
     * @return T
     */
    public static function local(callable $f): mixed
    {
        try {
            return $f();
        } catch (Exception $e) {
            throw new \InvalidArgumentException($e->getMessage(), 0, $e);
        }
    }
}
