<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Upload;

use CldKit\Client;
use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's `Cloudinary\Api\Upload\UploadApi`: its method names and array
 * arguments, each mapped onto the core's call (the catalogue's snake_case row) in the
 * `php` profile, which sends what cloudinary_php sends. Calls return an ApiResponse;
 * the download URL builders return strings.
 */
class UploadApi
{
    private Configuration $configuration;

    /** @param Configuration|array<string, mixed>|string|null $configuration null: the global configuration */
    public function __construct(#[\SensitiveParameter] mixed $configuration = null)
    {
        $this->configuration = Engine::configuration($configuration);
    }

    /**
     * Uploads $file: a local path, a remote URL, a data URI or an open stream.
     *
     * @param array<string, mixed> $options upload parameters (public_id, tags, folder, ...)
     */
    public function upload(mixed $file, array $options = []): ApiResponse
    {
        return Engine::api($this->configuration, static function (Client $c) use ($file, $options): array {
            if (is_resource($file)) {
                $name = stream_get_meta_data($file)['uri'] ?? null;
                $data = stream_get_contents($file);
                if ($data === false) {
                    throw new \InvalidArgumentException('Cannot read the stream to upload');
                }
                return $c->uploadBytes($data, $options, is_string($name) ? basename($name) : null);
            }
            if (!is_string($file)) {
                throw new \InvalidArgumentException('The file to upload must be a path, a URL, a data URI or a stream');
            }
            return $c->call('upload', ['file' => $file], $options);
        });
    }

    /** Uploads $file without a signature, with the unsigned upload preset $uploadPreset. */
    public function unsignedUpload(string $file, string $uploadPreset, array $options = []): ApiResponse
    {
        return Engine::api($this->configuration, static fn (Client $c) =>
            $c->call('unsigned_upload', ['file' => $file, 'upload_preset' => $uploadPreset], $options));
    }

    public function destroy(string $publicId, array $options = []): ApiResponse
    {
        return $this->call('destroy', ['public_id' => $publicId], $options);
    }

    public function rename(string $fromPublicId, string $toPublicId, array $options = []): ApiResponse
    {
        return $this->call('rename', ['from_public_id' => $fromPublicId, 'to_public_id' => $toPublicId], $options);
    }

    public function explicit(string $publicId, array $options = []): ApiResponse
    {
        return $this->call('explicit', ['public_id' => $publicId], $options);
    }

    public function updateMetadata(array $metadata, array $publicIds, array $options = []): ApiResponse
    {
        return $this->call('update_metadata', ['metadata' => $metadata, 'public_ids' => $publicIds], $options);
    }

    public function addTag(string $tag, array $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('add_tag', ['tag' => $tag, 'public_ids' => $publicIds], $options);
    }

    public function removeTag(string $tag, array|string $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('remove_tag', ['tag' => $tag, 'public_ids' => $publicIds], $options);
    }

    public function replaceTag(string $tag, array|string $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('replace_tag', ['tag' => $tag, 'public_ids' => $publicIds], $options);
    }

    public function removeAllTags(array $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('remove_all_tags', ['public_ids' => $publicIds], $options);
    }

    public function addContext(array|string $context, array|string $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('add_context', ['context' => $context, 'public_ids' => $publicIds], $options);
    }

    public function removeAllContext(array|string $publicIds = [], array $options = []): ApiResponse
    {
        return $this->call('remove_all_context', ['public_ids' => $publicIds], $options);
    }

    /** A sprite of the images tagged $tag, or of $tag['urls'] when $tag is the options array. */
    public function generateSprite(array|string $tag, array $options = []): ApiResponse
    {
        [$args, $options] = self::tagOrUrls($tag, $options);
        return $this->call('generate_sprite', $args, $options);
    }

    public function downloadGeneratedSprite(array|string $tag, array $options = []): string
    {
        [$args, $options] = self::tagOrUrls($tag, $options);
        return $this->local(fn (Client $c) => $c->downloadGeneratedSprite($args['tag'], $args['urls'], $options));
    }

    /** An animated image, video or PDF of the images tagged $tag (or of $tag['urls']). */
    public function multi(array|string $tag, array $options = []): ApiResponse
    {
        [$args, $options] = self::tagOrUrls($tag, $options);
        return $this->call('multi', $args, $options);
    }

    public function downloadMulti(array|string $tag, array $options = []): string
    {
        [$args, $options] = self::tagOrUrls($tag, $options);
        return $this->local(fn (Client $c) => $c->downloadMulti($args['tag'], $args['urls'], $options));
    }

    public function explode(string $publicId, array $options = []): ApiResponse
    {
        return $this->call('explode', ['public_id' => $publicId], $options);
    }

    public function text(string $text, array $options = []): ApiResponse
    {
        return $this->call('text', ['text' => $text], $options);
    }

    public function createSlideshow(array $options = []): ApiResponse
    {
        return $this->call('create_slideshow', [], $options);
    }

    /** Creates an archive (zip unless $targetFormat or the options say otherwise). */
    public function createArchive(array $options = [], $targetFormat = null): ApiResponse
    {
        if ($targetFormat !== null) {
            $options['target_format'] = $targetFormat;
        }
        return $this->call('create_archive', [], $options);
    }

    public function createZip(array $options = []): ApiResponse
    {
        return $this->call('create_zip', [], $options);
    }

    public function downloadArchiveUrl(array $options = []): string
    {
        return $this->local(fn (Client $c) => $c->downloadArchiveUrl($options));
    }

    public function downloadZipUrl(array $options = []): string
    {
        return $this->local(fn (Client $c) => $c->downloadZipUrl($options));
    }

    public function privateDownloadUrl(string $publicId, string $format, array $options = []): string
    {
        return $this->local(fn (Client $c) => $c->privateDownloadUrl($publicId, $format, $options));
    }

    public function downloadFolder(string $folderPath, array $options = []): string
    {
        return $this->local(fn (Client $c) => $c->downloadFolder($folderPath, $options));
    }

    public function downloadBackedupAsset(string $assetId, string $versionId): string
    {
        return $this->local(fn (Client $c) => $c->downloadBackedupAsset($assetId, $versionId));
    }

    /** The upload call $method of the catalogue with its arguments by name. */
    private function call(string $method, array $args, array $options): ApiResponse
    {
        return Engine::api($this->configuration, static fn (Client $c) => $c->call($method, $args, $options));
    }

    /** @param callable(Client): string $f */
    private function local(callable $f): string
    {
        $client = $this->configuration->client();
        return Engine::local(fn () => $f($client));
    }

    /**
     * cloudinary_php's (tag, options) or (options with `urls`) forms as the catalogue's
     * tag and urls arguments.
     *
     * @return array{0: array{tag: ?string, urls: mixed}, 1: array<string, mixed>}
     */
    private static function tagOrUrls(array|string $tag, array $options): array
    {
        if (is_array($tag)) {
            if ($options !== []) {
                throw new \InvalidArgumentException('First argument must be a tag when additional options are passed');
            }
            $options = $tag;
            $tag = null;
        }
        $urls = $options['urls'] ?? null;
        unset($options['urls']);
        return [['tag' => $tag, 'urls' => $urls], $options];
    }
}
