/* PHP extension cldkit: the CldKit\Client class over libcldkit. */
#ifndef PHP_CLDKIT_H
#define PHP_CLDKIT_H

extern zend_module_entry cldkit_module_entry;
#define phpext_cldkit_ptr &cldkit_module_entry

#define PHP_CLDKIT_VERSION "0.1.0"

#endif
