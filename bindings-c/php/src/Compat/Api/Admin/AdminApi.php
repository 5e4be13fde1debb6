<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Admin;

use CldKit\Client;
use CldKit\Compat\Api\ApiResponse;
use CldKit\Compat\Configuration\Configuration;
use CldKit\Compat\Internal\Engine;

/**
 * cloudinary_php's `Cloudinary\Api\Admin\AdminApi`: its method names and array
 * arguments (assets, folders, metadata fields, streaming profiles, transformations,
 * upload mappings and presets, analysis, misc), each mapped onto the core's Admin API
 * call of the catalogue (its snake_case row: `assets` is `resources`, `asset` is
 * `resource`, ...) in the `php` profile. Every call returns an ApiResponse with the
 * rate-limit properties.
 */
class AdminApi
{
    private Configuration $configuration;

    /** @param Configuration|array<string, mixed>|string|null $configuration null: the global configuration */
    public function __construct(#[\SensitiveParameter] mixed $configuration = null)
    {
        $this->configuration = Engine::configuration($configuration);
    }

    // ---- misc ----------------------------------------------------------------

    public function ping(): ApiResponse
    {
        return $this->call('ping');
    }

    public function config(array $options = []): ApiResponse
    {
        return $this->call('config', [], $options);
    }

    public function usage(array $options = []): ApiResponse
    {
        return $this->call('usage', [], $options);
    }

    public function tags(array $options = []): ApiResponse
    {
        return $this->call('tags', [], $options);
    }

    // ---- assets --------------------------------------------------------------

    public function assetTypes(): ApiResponse
    {
        return $this->call('resource_types');
    }

    public function assets(array $options = []): ApiResponse
    {
        return $this->call('resources', [], $options);
    }

    public function assetsByTag(string $tag, array $options = []): ApiResponse
    {
        return $this->call('resources_by_tag', ['tag' => $tag], $options);
    }

    public function assetsByContext(string $key, ?string $value = null, array $options = []): ApiResponse
    {
        return $this->call('resources_by_context', ['key' => $key, 'value' => $value], $options);
    }

    public function assetsByModeration(string $kind, string $status, array $options = []): ApiResponse
    {
        return $this->call('resources_by_moderation', ['kind' => $kind, 'status' => $status], $options);
    }

    public function assetsByIds(array|string $publicIds, array $options = []): ApiResponse
    {
        return $this->call('resources_by_ids', ['public_ids' => $publicIds], $options);
    }

    public function assetsByAssetIds(array|string $assetIds, array $options = []): ApiResponse
    {
        return $this->call('resources_by_asset_ids', ['asset_ids' => $assetIds], $options);
    }

    public function assetsByAssetFolder(string $assetFolder, array $options = []): ApiResponse
    {
        return $this->call('resources_by_asset_folder', ['asset_folder' => $assetFolder], $options);
    }

    /** Assets like an image (image_url, image_asset_id) or a text (text). */
    public function visualSearch(array $options = []): ApiResponse
    {
        $args = array_intersect_key($options, array_flip(['image_url', 'image_asset_id', 'text', 'image_file']));
        return $this->call('visual_search', $args, array_diff_key($options, $args));
    }

    public function asset(string $publicId, array $options = []): ApiResponse
    {
        return $this->call('resource', ['public_id' => $publicId], $options);
    }

    public function assetByAssetId(string $assetId, array $options = []): ApiResponse
    {
        return $this->call('resource_by_asset_id', ['asset_id' => $assetId], $options);
    }

    public function restore(array|string $publicIds, array $options = []): ApiResponse
    {
        return $this->call('restore', ['public_ids' => $publicIds], $options);
    }

    public function restoreByAssetIds(array|string $assetIds, array $options = []): ApiResponse
    {
        return $this->call('restore_by_asset_ids', ['asset_ids' => $assetIds], $options);
    }

    public function update(array|string $publicId, array $options = []): ApiResponse
    {
        return $this->call('update', ['public_id' => $publicId], $options);
    }

    public function deleteAssets(array|string $publicIds, array $options = []): ApiResponse
    {
        return $this->call('delete_resources', ['public_ids' => $publicIds], $options);
    }

    public function deleteAssetsByAssetIds(array|string $assetIds, array $options = []): ApiResponse
    {
        return $this->call('delete_resources_by_asset_ids', ['asset_ids' => $assetIds], $options);
    }

    public function deleteAssetsByPrefix(string $prefix, array $options = []): ApiResponse
    {
        return $this->call('delete_resources_by_prefix', ['prefix' => $prefix], $options);
    }

    public function deleteAllAssets(array $options = []): ApiResponse
    {
        return $this->call('delete_all_resources', [], $options);
    }

    public function deleteAssetsByTag(string $tag, array $options = []): ApiResponse
    {
        return $this->call('delete_resources_by_tag', ['tag' => $tag], $options);
    }

    public function deleteDerivedAssets(array|string $derived_asset_ids): ApiResponse
    {
        return $this->call('delete_derived_resources', ['derived_resource_ids' => $derived_asset_ids]);
    }

    public function deleteDerivedByTransformation(
        array|string $publicIds,
        array|string $transformations = [],
        array $options = [],
    ): ApiResponse {
        return $this->call('delete_derived_by_transformation',
            ['public_ids' => $publicIds, 'transformations' => $transformations], $options);
    }

    public function addRelatedAssets(string $publicId, array $assetsToRelate, array $options = []): ApiResponse
    {
        return $this->call('add_related_assets', ['public_id' => $publicId, 'assets_to_relate' => $assetsToRelate], $options);
    }

    public function addRelatedAssetsByAssetIds(string $assetId, array $assetsToRelate): ApiResponse
    {
        return $this->call('add_related_assets_by_asset_ids', ['asset_id' => $assetId, 'assets_to_relate' => $assetsToRelate]);
    }

    public function deleteRelatedAssets(string $publicId, array $assetsToUnrelate, array $options = []): ApiResponse
    {
        return $this->call('delete_related_assets',
            ['public_id' => $publicId, 'assets_to_unrelate' => $assetsToUnrelate], $options);
    }

    public function deleteRelatedAssetsByAssetIds(string $assetId, array $assetsToUnrelate): ApiResponse
    {
        return $this->call('delete_related_assets_by_asset_ids',
            ['asset_id' => $assetId, 'assets_to_unrelate' => $assetsToUnrelate]);
    }

    // ---- folders -------------------------------------------------------------

    public function rootFolders(array $options = []): ApiResponse
    {
        return $this->call('root_folders', [], $options);
    }

    public function subFolders(string $ofFolderPath, array $options = []): ApiResponse
    {
        return $this->call('subfolders', ['of_folder_path' => $ofFolderPath], $options);
    }

    public function createFolder(string $path): ApiResponse
    {
        return $this->call('create_folder', ['path' => $path]);
    }

    public function renameFolder(string $fromPath, string $toPath): ApiResponse
    {
        return $this->call('rename_folder', ['from_path' => $fromPath, 'to_path' => $toPath]);
    }

    public function deleteFolder(string $path): ApiResponse
    {
        return $this->call('delete_folder', ['path' => $path]);
    }

    // ---- structured metadata -------------------------------------------------

    public function listMetadataFields(): ApiResponse
    {
        return $this->call('list_metadata_fields');
    }

    public function metadataFieldByFieldId(string $fieldExternalId): ApiResponse
    {
        return $this->call('metadata_field_by_field_id', ['field_external_id' => $fieldExternalId]);
    }

    /** @param array<string, mixed>|\JsonSerializable $field the field's definition */
    public function addMetadataField(array|\JsonSerializable $field): ApiResponse
    {
        return $this->call('add_metadata_field', ['field' => self::definition($field)]);
    }

    /** @param array<string, mixed>|\JsonSerializable $field */
    public function updateMetadataField(string $fieldExternalId, array|\JsonSerializable $field): ApiResponse
    {
        return $this->call('update_metadata_field',
            ['field_external_id' => $fieldExternalId, 'field' => self::definition($field)]);
    }

    public function deleteMetadataField(string $fieldExternalId): ApiResponse
    {
        return $this->call('delete_metadata_field', ['field_external_id' => $fieldExternalId]);
    }

    public function deleteDatasourceEntries(string $fieldExternalId, array $entriesExternalId): ApiResponse
    {
        return $this->call('delete_datasource_entries',
            ['field_external_id' => $fieldExternalId, 'entries_external_id' => $entriesExternalId]);
    }

    public function updateMetadataFieldDatasource(string $fieldExternalId, array $entries): ApiResponse
    {
        return $this->call('update_metadata_field_datasource',
            ['field_external_id' => $fieldExternalId, 'entries_external_id' => self::definitions($entries)]);
    }

    public function restoreMetadataFieldDatasource(string $fieldExternalId, array $entriesExternalIds): ApiResponse
    {
        return $this->call('restore_metadata_field_datasource',
            ['field_external_id' => $fieldExternalId, 'entries_external_ids' => $entriesExternalIds]);
    }

    public function reorderMetadataFieldDatasource(string $fieldExternalId, string $orderBy, ?string $direction = null): ApiResponse
    {
        return $this->call('reorder_metadata_field_datasource',
            ['field_external_id' => $fieldExternalId, 'order_by' => $orderBy, 'direction' => $direction]);
    }

    public function reorderMetadataFields(string $orderBy, ?string $direction = null): ApiResponse
    {
        return $this->call('reorder_metadata_fields', ['order_by' => $orderBy, 'direction' => $direction]);
    }

    // ---- streaming profiles --------------------------------------------------

    public function listStreamingProfiles(): ApiResponse
    {
        return $this->call('list_streaming_profiles');
    }

    public function getStreamingProfile(string $name): ApiResponse
    {
        return $this->call('get_streaming_profile', ['name' => $name]);
    }

    public function deleteStreamingProfile(string $name): ApiResponse
    {
        return $this->call('delete_streaming_profile', ['name' => $name]);
    }

    public function updateStreamingProfile(string $name, array $options = []): ApiResponse
    {
        return $this->call('update_streaming_profile', ['name' => $name], $options);
    }

    public function createStreamingProfile(string $name, array $options = []): ApiResponse
    {
        return $this->call('create_streaming_profile', ['name' => $name], $options);
    }

    // ---- transformations -----------------------------------------------------

    public function transformations(array $options = []): ApiResponse
    {
        return $this->call('transformations', [], $options);
    }

    public function transformation(array|string $transformation, array $options = []): ApiResponse
    {
        return $this->call('transformation', ['transformation' => $transformation], $options);
    }

    public function deleteTransformation(array|string $transformation, array $options = []): ApiResponse
    {
        return $this->call('delete_transformation', ['transformation' => $transformation], $options);
    }

    public function updateTransformation(array|string $transformation, array $updates = []): ApiResponse
    {
        return $this->call('update_transformation', ['transformation' => $transformation], $updates);
    }

    /** @param array<string, mixed>|string|\Stringable $definition */
    public function createTransformation(string $name, array|string|\Stringable $definition): ApiResponse
    {
        return $this->call('create_transformation',
            ['name' => $name, 'definition' => is_array($definition) ? $definition : (string) $definition]);
    }

    // ---- upload mappings -----------------------------------------------------

    public function uploadMappings(array $options = []): ApiResponse
    {
        return $this->call('upload_mappings', [], $options);
    }

    public function uploadMapping(string $name): ApiResponse
    {
        return $this->call('upload_mapping', ['name' => $name]);
    }

    public function deleteUploadMapping(string $name): ApiResponse
    {
        return $this->call('delete_upload_mapping', ['name' => $name]);
    }

    public function updateUploadMapping(string $name, array $options = []): ApiResponse
    {
        return $this->call('update_upload_mapping', ['name' => $name], $options);
    }

    public function createUploadMapping(string $name, array $options = []): ApiResponse
    {
        return $this->call('create_upload_mapping', ['name' => $name], $options);
    }

    // ---- upload presets ------------------------------------------------------

    public function uploadPresets(array $options = []): ApiResponse
    {
        return $this->call('upload_presets', [], $options);
    }

    public function uploadPreset(string $name, array $options = []): ApiResponse
    {
        return $this->call('upload_preset', ['name' => $name], $options);
    }

    public function deleteUploadPreset(string $name): ApiResponse
    {
        return $this->call('delete_upload_preset', ['name' => $name]);
    }

    public function updateUploadPreset(string $name, array $options = []): ApiResponse
    {
        return $this->call('update_upload_preset', ['name' => $name], $options);
    }

    public function createUploadPreset(array $options = []): ApiResponse
    {
        return $this->call('create_upload_preset', [], $options);
    }

    // ---- analysis ------------------------------------------------------------

    /** Analyzes $uri with $analysisType (e.g. "captioning"); $parameters go with it. */
    public function analyze(string $inputType, string $analysisType, ?string $uri = null, ?array $parameters = null): ApiResponse
    {
        return $this->call('analyze', ['input_type' => $inputType, 'analysis_type' => $analysisType, 'uri' => $uri],
            $parameters === null ? [] : ['parameters' => $parameters]);
    }

    // ---- plumbing ------------------------------------------------------------

    /** The Admin API call $name of the catalogue with its arguments by name. */
    private function call(string $name, array $args = [], array $options = []): ApiResponse
    {
        return Engine::api($this->configuration, static fn (Client $c) => $c->call($name, $args, $options));
    }

    /** @return array<string, mixed> a metadata object's definition as an array */
    private static function definition(array|\JsonSerializable $value): array
    {
        $value = $value instanceof \JsonSerializable ? $value->jsonSerialize() : $value;
        return is_array($value) ? $value : throw new \InvalidArgumentException('A metadata definition must serialize to an array');
    }

    /** @return list<mixed> */
    private static function definitions(array $values): array
    {
        return array_map(static fn ($v) => $v instanceof \JsonSerializable ? $v->jsonSerialize() : $v, $values);
    }
}
