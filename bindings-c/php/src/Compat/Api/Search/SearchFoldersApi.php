<?php

declare(strict_types=1);

namespace CldKit\Compat\Api\Search;

/** cloudinary_php's `Cloudinary\Api\Search\SearchFoldersApi`: the same query over folders. */
class SearchFoldersApi extends SearchApi
{
    protected const CALL = 'search_folders';
}
