<?php
/**
 * The corpus kinds a PHP plugin reaches through CldKit\Compat, called as it calls them
 * (no strict_types, as cloudinary_php's callers usually run, so PHP coerces scalars the
 * same way): conformance.php --compat runs these before its Client calls.
 */

use CldKit\Compat\Api\Upload\UploadApi;
use CldKit\Compat\Asset\Media;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Tag\ImageTag;
use CldKit\Compat\Tag\VideoTag;
use CldKit\Compat\Utils\SignatureVerifier;

/**
 * The result of one case through the compat classes, or null for a kind they do not
 * cover (the caller runs it through CldKit\Client).
 *
 * @param array<string, mixed> $in the case's input
 * @param array<string, mixed> $config the case's configuration
 */
function compat_case(string $kind, array $in, array $config, int $clock): ?array
{
    $options = static fn (string $name = 'options'): array => (array) ($in[$name] ?? []);
    Configuration::instance($config)->fixTime($clock);
    switch ($kind) {
        case 'url':
            return ['url' => (string) Media::fromParams($in['source'] ?? null, $options())->toUrl()];
        case 'image_tag':
            return ['html' => (string) ImageTag::fromParams($in['public_id'], $options())];
        case 'video_tag':
            return ['html' => (string) VideoTag::fromParams($in['public_id'], $options())];
        case 'verify_api_response':
            return ['valid' => SignatureVerifier::verifyApiResponseSignature($in['public_id'] ?? null,
                $in['version'] ?? null, $in['signature'])];
        case 'verify_notification':
            Configuration::instance()->fixTime((int) ($in['now'] ?? $clock));
            return ['valid' => array_key_exists('valid_for', $in)
                ? SignatureVerifier::verifyNotificationSignature($in['body'], $in['timestamp'] ?? null, $in['signature'], $in['valid_for'])
                : SignatureVerifier::verifyNotificationSignature($in['body'], $in['timestamp'] ?? null, $in['signature'])];
        case 'private_download_url':
            return ['url' => (new UploadApi())->privateDownloadUrl($in['public_id'] ?? null, $in['format'] ?? null, $options())];
        case 'download_archive_url':
            return ['url' => (new UploadApi())->downloadArchiveUrl($options())];
        case 'download_zip_url':
            return ['url' => (new UploadApi())->downloadZipUrl($options())];
        case 'download_folder':
            return ['url' => (new UploadApi())->downloadFolder($in['folder_path'] ?? null, $options())];
        default:
            return null;
    }
}
