<?php
/**
 * A minimal WordPress-style media handler written against the PHP SDK
 * (cloudinary/cloudinary_php 3.x) and its params API, the way media plugins use it:
 * uploads from the media library, attachment URLs and <img> tags per registered image
 * size, responsive srcset, webhook verification, the library listing and deletion.
 * In a plugin these methods sit behind WordPress hooks (wp_handle_upload,
 * wp_get_attachment_url, wp_get_attachment_image, delete_attachment, a REST route).
 *
 * A copy of ../cloudinary-php/MediaHandler.php with its `use` lines swapped to CldKit\Compat.
 */

declare(strict_types=1);

namespace WpMedia;

use CldKit\Compat\Api\Admin\AdminApi;
use CldKit\Compat\Api\Search\SearchApi;
use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Asset\Media;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Tag\ImageTag;
use CldKit\Compat\Utils\SignatureVerifier;

final class MediaHandler
{
    /** WordPress's image sizes as Cloudinary transformation params. */
    public const SIZES = [
        'thumbnail' => ['width' => 100, 'height' => 100, 'crop' => 'fill'],
        'medium' => ['width' => 100, 'crop' => 'fit'],
        'full' => ['fetch_format' => 'auto', 'quality' => 'auto'],
        'original' => [],
    ];

    private const TAG = 'wordpress';

    /** @param string|array<string, mixed>|null $config CLOUDINARY_URL or settings; null: the environment's */
    public function __construct(string|array|null $config = null)
    {
        if ($config !== null) {
            Configuration::instance($config);
        }
    }

    /** wp_handle_upload: sends the file to Cloudinary as the attachment's asset. */
    public function handleUpload(string $path, int $attachmentId, string $title = ''): array
    {
        $response = (new UploadApi())->upload($path, [
            'public_id' => 'wp/' . $attachmentId,
            'overwrite' => true,
            'tags' => [self::TAG, 'attachment-' . $attachmentId],
            'context' => ['caption' => $title, 'wp_id' => (string) $attachmentId],
        ]);
        return [
            'public_id' => $response['public_id'],
            'version' => $response['version'],
            'width' => $response['width'],
            'height' => $response['height'],
            'url' => $response['secure_url'] ?? $response['url'],
        ];
    }

    /** wp_get_attachment_url / image_downsize: the URL of one registered size. */
    public function attachmentUrl(string $publicId, string $size = 'full'): string
    {
        return (string) Media::fromParams($publicId, self::SIZES[$size] ?? [])->toUrl();
    }

    /** wp_get_attachment_image: the <img> tag of one registered size. */
    public function attachmentImage(string $publicId, string $size = 'full', array $attributes = []): string
    {
        $params = self::SIZES[$size] ?? [];
        if ($attributes !== []) {
            $params['attributes'] = $attributes;
        }
        return (string) ImageTag::fromParams($publicId, $params);
    }

    /** wp_calculate_image_srcset: an <img> with a srcset of the given widths. */
    public function responsiveImage(string $publicId, array $widths): string
    {
        return (string) ImageTag::fromParams($publicId, ['srcset' => ['breakpoints' => $widths]]);
    }

    /** The REST route Cloudinary's upload notifications post to. */
    public function verifyNotification(string $body, string $timestamp, string $signature): bool
    {
        return SignatureVerifier::verifyNotificationSignature($body, $timestamp, $signature);
    }

    /** The media library screen: the plugin's assets, newest first. */
    public function library(int $max = 30): array
    {
        $result = (new AdminApi())->assetsByTag(self::TAG, ['max_results' => $max]);
        return array_column($result['resources'], 'public_id');
    }

    /** The media library's search box. */
    public function search(string $text, int $max = 30): array
    {
        $result = (new SearchApi())->expression("tags=" . self::TAG . " AND $text")->sortBy('public_id', 'asc')
            ->maxResults($max)->execute();
        return array_column($result['resources'], 'public_id');
    }

    /** delete_attachment: removes the asset. */
    public function deleteAttachment(int $attachmentId): bool
    {
        return (new UploadApi())->destroy('wp/' . $attachmentId, ['invalidate' => true])['result'] === 'ok';
    }
}
