<?php

declare(strict_types=1);

namespace CldKit\Compat\Configuration;

use CldKit\Client;

/**
 * cloudinary_php's `Cloudinary\Configuration\Configuration`, as far as plugins use it:
 * `Configuration::instance()` (the global one, read from CLOUDINARY_URL on first use),
 * `new Configuration($config)` and `init`/`import`/`importJson`/`importCloudinaryUrl`
 * with a CLOUDINARY_URL text, a nested array (`['cloud' => ['cloud_name' => ...],
 * 'url' => ['secure' => true]]`) or flat keys, and the sections as properties whose
 * settings read and write in camelCase (`->cloud->cloudName`, `->url->secure = true`).
 *
 * It only holds settings: every URL, signature and call is made by a
 * {@see Client} in the `php` profile built from them ({@see Configuration::client()}).
 */
class Configuration implements \JsonSerializable
{
    public const CLOUDINARY_URL_ENV_VAR = 'CLOUDINARY_URL';

    /** The sections and the settings each one owns (others go to `url`). */
    private const SECTIONS = [
        'cloud' => ['cloud_name', 'api_key', 'api_secret', 'oauth_token', 'signature_algorithm', 'signature_version'],
        'api' => ['upload_prefix', 'api_version', 'api_proxy', 'connection_timeout', 'timeout', 'upload_timeout',
            'chunk_size', 'callback_url'],
        'url' => ['cdn_subdomain', 'secure_cdn_subdomain', 'cname', 'secure', 'secure_cname', 'private_cdn',
            'sign_url', 'long_url_signature', 'shorten', 'use_root_path', 'force_version', 'analytics',
            'responsive_width', 'responsive_width_transformation'],
        'tag' => ['responsive', 'responsive_class', 'responsive_placeholder', 'sizes', 'relative_width', 'hidpi',
            'client_hints', 'unsigned_upload', 'video_poster_format', 'use_fetch_format', 'quotes_type',
            'void_closing_slash', 'sort_attributes', 'prepend_src_attribute', 'content_delimiter'],
        'auth_token' => ['key', 'ip', 'acl', 'start_time', 'expiration', 'duration'],
        'logging' => [],
    ];

    /** Flat names cloudinary_php also reads (`secure_distribution` is `url.secure_cname`). */
    private const ALIASES = ['secure_distribution' => ['url', 'secure_cname']];

    private static ?Configuration $instance = null;

    public ConfigSection $cloud;
    public ConfigSection $api;
    public ConfigSection $url;
    public ConfigSection $tag;
    public ConfigSection $authToken;
    public ConfigSection $logging;

    /** @var array<string, array<string, mixed>> settings by section, snake_case */
    private array $values = [];

    private ?Client $client = null;

    private ?int $fixedTime = null;

    /**
     * @param Configuration|array<string, mixed>|string|null $config null reads CLOUDINARY_URL when it is set
     */
    public function __construct(#[\SensitiveParameter] Configuration|array|string|null $config = null, bool $includeSensitive = true)
    {
        $this->init($config, $includeSensitive);
    }

    /** Nothing of the configuration (secrets included) shows in var_dump() or print_r(). */
    public function __debugInfo(): array
    {
        return ['cloud_name' => $this->values['cloud']['cloud_name'] ?? null];
    }

    public function __clone()
    {
        $this->initSections();
    }

    /** Starts over from $config (see the constructor). */
    public function init(#[\SensitiveParameter] Configuration|array|string|null $config = null, bool $includeSensitive = true): void
    {
        $this->values = array_fill_keys(array_keys(self::SECTIONS), []);
        $this->client = null;
        $this->fixedTime = null;
        $this->initSections();
        $this->import($config);
        if (!$includeSensitive) {
            unset($this->values['cloud']['api_secret'], $this->values['cloud']['oauth_token'],
                $this->values['auth_token']['key']);
        }
    }

    private function initSections(): void
    {
        $this->cloud = new ConfigSection($this, 'cloud');
        $this->api = new ConfigSection($this, 'api');
        $this->url = new ConfigSection($this, 'url');
        $this->tag = new ConfigSection($this, 'tag');
        $this->authToken = new ConfigSection($this, 'auth_token');
        $this->logging = new ConfigSection($this, 'logging');
    }

    /** Adds $config's settings; null reads CLOUDINARY_URL (when set). */
    public function import(#[\SensitiveParameter] Configuration|array|string|null $config = null): void
    {
        if ($config === null) {
            $env = getenv(self::CLOUDINARY_URL_ENV_VAR);
            if ($env === false || $env === '') {
                return;
            }
            $config = $env;
        }
        if ($config instanceof Configuration) {
            $this->importConfig($config);
        } elseif (is_string($config)) {
            $this->importCloudinaryUrl($config);
        } else {
            $this->importJson($config);
        }
    }

    /**
     * The global configuration: with $config it is (re)initialised from it; on first
     * use without one it is read from CLOUDINARY_URL.
     */
    public static function instance(#[\SensitiveParameter] Configuration|array|string|null $config = null): static
    {
        if (self::$instance === null) {
            self::$instance = new static($config);
        } elseif ($config !== null) {
            self::$instance->init($config);
        }
        return self::$instance;
    }

    /** @param array<string, mixed>|string $json a nested or flat array, or its JSON text */
    public static function fromJson(#[\SensitiveParameter] array|string $json): static
    {
        return (new static([]))->importJson($json);
    }

    /** @param array<string, mixed> $params flat settings, as fromParams() takes them */
    public static function fromParams(#[\SensitiveParameter] array $params): static
    {
        return (new static([]))->importJson($params);
    }

    public static function fromCloudinaryUrl(#[\SensitiveParameter] string $cloudinaryUrl): static
    {
        return (new static([]))->importCloudinaryUrl($cloudinaryUrl);
    }

    /**
     * Adds settings: sections as nested arrays (`cloud`, `api`, `url`, `tag`,
     * `auth_token`) and flat keys, each filed under the section that owns it.
     *
     * @param array<string, mixed>|string $json
     */
    public function importJson(#[\SensitiveParameter] array|string $json): static
    {
        if (is_string($json)) {
            $json = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
            if (!is_array($json)) {
                throw new \InvalidArgumentException('The configuration JSON must be an object');
            }
        }
        foreach ($json as $key => $value) {
            $key = (string) $key;
            $section = self::sectionName($key);
            if ($section !== null && is_array($value)) {
                foreach ($value as $k => $v) {
                    $this->set($section, (string) $k, $v);
                }
            } else {
                [$section, $key] = self::ALIASES[$key] ?? [self::owner($key), $key];
                $this->set($section, $key, $value);
            }
        }
        return $this;
    }

    /** Adds the settings of a `cloudinary://key:secret@cloud?...` URL (query settings included). */
    public function importCloudinaryUrl(#[\SensitiveParameter] string $cloudinaryUrl): static
    {
        return $this->importJson(Client::parseCloudinaryUrl(trim($cloudinaryUrl), false, 'php'));
    }

    public function importConfig(Configuration $otherConfig): static
    {
        $this->fixedTime = $otherConfig->fixedTime;
        foreach ($otherConfig->values as $section => $values) {
            foreach ($values as $k => $v) {
                $this->set($section, $k, $v);
            }
        }
        return $this;
    }

    /** @throws \CldKit\Compat\Exception\ConfigurationException when no cloud name is set */
    public function validate(): void
    {
        if (($this->values['cloud']['cloud_name'] ?? '') === '') {
            throw new \CldKit\Compat\Exception\ConfigurationException('Invalid configuration, please set up your environment');
        }
    }

    /** The settings by section (secrets left out unless $includeSensitive). */
    public function jsonSerialize(bool $includeSensitive = false): array
    {
        $out = array_filter($this->values);
        if (!$includeSensitive) {
            unset($out['cloud']['api_secret'], $out['cloud']['oauth_token'], $out['auth_token']['key']);
        }
        return $out;
    }

    /**
     * The settings as one flat array of the option names the core reads (the cloud,
     * api, tag and url sections' keys, `secure_cname` as `secure_distribution`,
     * `auth_token` as a map), in the `php` profile.
     *
     * @return array<string, mixed>
     */
    public function settings(): array
    {
        $flat = $this->values['cloud'] + $this->values['api'] + $this->values['tag'];
        foreach ($this->values['url'] as $k => $v) {
            $flat[$k === 'secure_cname' ? 'secure_distribution' : $k] = $v;
        }
        if ($this->values['auth_token'] !== []) {
            $flat['auth_token'] = $this->values['auth_token'];
        }
        $flat['profile'] = 'php';
        return $flat;
    }

    /**
     * cldkit's addition, for tests and reproducible output: signatures, download URLs
     * and webhook checks use $unixSeconds as the current time (null: the clock).
     */
    public function fixTime(?int $unixSeconds): static
    {
        $this->fixedTime = $unixSeconds;
        $this->client = null;
        return $this;
    }

    /** The cldkit client of these settings (kept until a setting changes). */
    public function client(): Client
    {
        if ($this->client === null) {
            $client = new Client($this->settings());
            $this->client = $this->fixedTime === null ? $client : $client->withFixedTime($this->fixedTime);
        }
        return $this->client;
    }

    /** Whether the section's setting was given (as cloudinary_php's isExplicitlySet). */
    public function isExplicitlySet(string $section, string $key): bool
    {
        return array_key_exists($key, $this->values[$section] ?? []);
    }

    /** @internal read by ConfigSection */
    public function get(string $section, string $key): mixed
    {
        return $this->values[$section][$key] ?? null;
    }

    /** @internal written by ConfigSection and the importers */
    public function set(string $section, string $key, mixed $value): void
    {
        $this->values[$section][$key] = $value;
        $this->client = null;
    }

    private static function sectionName(string $key): ?string
    {
        if ($key === 'authToken') {
            return 'auth_token';
        }
        return array_key_exists($key, self::SECTIONS) ? $key : null;
    }

    private static function owner(string $key): string
    {
        foreach (self::SECTIONS as $section => $keys) {
            if ($section !== 'auth_token' && in_array($key, $keys, true)) {
                return $section;
            }
        }
        return 'url';
    }
}
