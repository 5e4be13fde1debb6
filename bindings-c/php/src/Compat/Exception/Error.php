<?php

declare(strict_types=1);

namespace CldKit\Compat\Exception;

/** cloudinary_php's `Cloudinary\Exception\Error`: the base of its exceptions. */
class Error extends \Exception
{
}
