<?php

declare(strict_types=1);

namespace CldKit\Compat\Exception;

/** cloudinary_php's `Cloudinary\Exception\ConfigurationException`: no usable configuration. */
class ConfigurationException extends Error
{
}
