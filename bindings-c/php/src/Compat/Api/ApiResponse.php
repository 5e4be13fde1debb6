<?php

declare(strict_types=1);

namespace CldKit\Compat\Api;

/**
 * cloudinary_php's `Cloudinary\Api\ApiResponse`: the response body with array access
 * (`$r['public_id']`, foreach, count), the rate limit of the Admin API as
 * properties and the response's headers.
 */
class ApiResponse extends \ArrayObject
{
    /** Unix time at which the hourly count is reset (false when not told). */
    public int|false $rateLimitResetAt;

    /** The hourly limit (0 when not told). */
    public int $rateLimitAllowed;

    /** Calls left this hour (0 when not told). */
    public int $rateLimitRemaining;

    /** @var array<string, list<string>> response headers, as Guzzle lists them */
    public array $headers;

    /**
     * @param array<string, mixed> $responseJson
     * @param array<string, list<string>|string> $headers
     */
    public function __construct($responseJson, $headers)
    {
        $this->headers = $headers;
        $lc = array_change_key_case($headers);
        $first = static fn (string $name): ?string => isset($lc[$name]) ? (string) (is_array($lc[$name]) ? ($lc[$name][0] ?? '') : $lc[$name]) : null;
        $reset = $first('x-featureratelimit-reset');
        $this->rateLimitResetAt = $reset === null ? false : strtotime($reset);
        $this->rateLimitAllowed = (int) $first('x-featureratelimit-limit');
        $this->rateLimitRemaining = (int) $first('x-featureratelimit-remaining');
        parent::__construct($responseJson);
    }

    /**
     * The response of a cldkit call: its `rate_limit_*` and `request_id` entries become
     * the X-FeatureRateLimit-* and X-Request-Id headers; the rest is the body.
     *
     * @param array<string, mixed> $result
     */
    public static function fromResult(array $result): static
    {
        $headers = [];
        if (array_key_exists('rate_limit_allowed', $result)) {
            $headers['X-FeatureRateLimit-Limit'] = [(string) $result['rate_limit_allowed']];
        }
        if (array_key_exists('rate_limit_reset_at', $result) && is_int($result['rate_limit_reset_at'])) {
            $headers['X-FeatureRateLimit-Reset'] = [gmdate('D, d M Y H:i:s \G\M\T', $result['rate_limit_reset_at'])];
        }
        if (array_key_exists('rate_limit_remaining', $result)) {
            $headers['X-FeatureRateLimit-Remaining'] = [(string) $result['rate_limit_remaining']];
        }
        if (isset($result['request_id']) && is_string($result['request_id'])) {
            $headers['X-Request-Id'] = [$result['request_id']];
        }
        unset($result['rate_limit_allowed'], $result['rate_limit_reset_at'], $result['rate_limit_remaining'],
            $result['request_id']);
        return new static($result, $headers);
    }
}
