/*
 * PHP extension "cldkit": the CldKit\Client class over the cldkit C ABI
 * (include/cldkit.h, linked statically from libcldkit.a).
 *
 * This file only converts types: PHP arrays become JSON text for the C ABI (written
 * directly from the zvals, keeping int / float / bool apart and key order), JSON
 * results become PHP arrays, and a failing status becomes a CldKit\Exception whose
 * code is the CldkitStatus and whose getKind() is its name. All behaviour is in the
 * Rust core.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "php.h"
#include "ext/json/php_json.h"
#include "ext/spl/spl_exceptions.h"
#include "ext/standard/info.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

#include <cldkit.h>

#include "php_cldkit.h"
#include "cldkit_calls.h"

/* Deepest option nesting accepted (also stops self-referencing arrays). */
#define CLDKIT_MAX_DEPTH 64

static zend_class_entry *cldkit_client_ce;
static zend_class_entry *cldkit_exception_ce;
static zend_class_entry *cldkit_api_exception_ce;
static zend_class_entry *cldkit_pages_ce;
static zend_class_entry *cldkit_account_ce;
static zend_object_handlers cldkit_client_handlers;
static zend_object_handlers cldkit_pages_handlers;
/* The exception class of each status: the core's error kinds (cldkit_error_kinds),
 * CldKit\Exception for the C ABI's own statuses. */
static zend_class_entry *cldkit_status_ce[CLDKIT_IO + 1];

/* A CldKit\Client (`client`) or CldKit\AccountClient (`account`) object. */
typedef struct {
    CldkitClient *client;
    CldkitAccount *account;
    zend_object std;
} cldkit_client_object;

static inline cldkit_client_object *client_from_obj(zend_object *obj)
{
    return (cldkit_client_object *)((char *)obj - XtOffsetOf(cldkit_client_object, std));
}

#define THIS_OBJECT() client_from_obj(Z_OBJ_P(ZEND_THIS))
#define THIS_CLIENT() (THIS_OBJECT()->client)

static zend_object *cldkit_client_create(zend_class_entry *ce)
{
    cldkit_client_object *o = zend_object_alloc(sizeof(cldkit_client_object), ce);
    o->client = NULL;
    o->account = NULL;
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cldkit_client_handlers;
    return &o->std;
}

static void cldkit_client_free_obj(zend_object *obj)
{
    cldkit_client_object *o = client_from_obj(obj);
    cldkit_client_free(o->client);
    cldkit_account_free(o->account);
    o->client = NULL;
    o->account = NULL;
    zend_object_std_dtor(obj);
}

/* ---- errors ------------------------------------------------------------------ */

/* The exception class of a failed status (see cldkit_status_ce). */
static zend_class_entry *status_class(CldkitStatus status)
{
    if ((int)status > 0 && (int)status <= CLDKIT_IO && cldkit_status_ce[status] != NULL) {
        return cldkit_status_ce[status];
    }
    return cldkit_exception_ce;
}

/* Throws the CldKit\Exception subclass of the status's kind for a failed call;
 * frees `message`. */
static void throw_status(CldkitStatus status, char *message)
{
    zend_object *ex = zend_throw_exception(status_class(status),
                                           message ? message : cldkit_status_name(status),
                                           (zend_long)status);
    zend_update_property_string(cldkit_exception_ce, ex, "kind", sizeof("kind") - 1,
                                cldkit_status_name(status));
    cldkit_string_free(message);
}

/* Throws CldKit\Exception (invalid_argument) for input PHP cannot pass on. */
static void throw_argument(const char *format, const char *detail)
{
    char *message;
    zend_spprintf(&message, 0, format, detail);
    zend_object *ex = zend_throw_exception(cldkit_exception_ce, message,
                                           (zend_long)CLDKIT_INVALID_ARGUMENT);
    zend_update_property_string(cldkit_exception_ce, ex, "kind", sizeof("kind") - 1,
                                cldkit_status_name(CLDKIT_INVALID_ARGUMENT));
    efree(message);
}

/* A string argument handed to C must not hold a NUL byte (C would cut it there). */
static bool check_c_string(const zend_string *s, const char *name)
{
    if (strlen(ZSTR_VAL(s)) != ZSTR_LEN(s)) {
        throw_argument("`%s` contains a NUL byte", name);
        return false;
    }
    return true;
}

/* ---- PHP values to JSON -------------------------------------------------------- */

static bool encode_zval(smart_str *buf, zval *value, int depth);

static void encode_string(smart_str *buf, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    smart_str_appendc(buf, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '"' && c != '\\' && c >= 0x20) {
            continue;
        }
        smart_str_appendl(buf, s + start, i - start);
        start = i + 1;
        if (c == '"' || c == '\\') {
            smart_str_appendc(buf, '\\');
            smart_str_appendc(buf, (char)c);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            smart_str_appendl(buf, esc, 6);
        }
    }
    smart_str_appendl(buf, s + start, len - start);
    smart_str_appendc(buf, '"');
}

/* A PHP array: a list when its keys are 0..n-1 in order, else an object (integer
 * keys become strings). Key order is kept. `as_map` forces an object (for the
 * properties of a stdClass, PHP's way to write an empty or list-like map). */
static bool encode_table(smart_str *buf, HashTable *ht, int depth, bool as_map)
{
    zend_string *key;
    zend_ulong index;
    zval *item;
    bool first = true;

    if (depth > CLDKIT_MAX_DEPTH) {
        throw_argument("options are nested deeper than %s levels (or refer to themselves)", "64");
        return false;
    }
    if (!as_map && zend_array_is_list(ht)) {
        smart_str_appendc(buf, '[');
        ZEND_HASH_FOREACH_VAL_IND(ht, item) {
            if (!first) {
                smart_str_appendc(buf, ',');
            }
            first = false;
            if (!encode_zval(buf, item, depth + 1)) {
                return false;
            }
        } ZEND_HASH_FOREACH_END();
        smart_str_appendc(buf, ']');
        return true;
    }
    smart_str_appendc(buf, '{');
    ZEND_HASH_FOREACH_KEY_VAL_IND(ht, index, key, item) {
        if (!first) {
            smart_str_appendc(buf, ',');
        }
        first = false;
        if (key) {
            encode_string(buf, ZSTR_VAL(key), ZSTR_LEN(key));
        } else {
            smart_str_appendc(buf, '"');
            smart_str_append_long(buf, (zend_long)index);
            smart_str_appendc(buf, '"');
        }
        smart_str_appendc(buf, ':');
        if (!encode_zval(buf, item, depth + 1)) {
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    smart_str_appendc(buf, '}');
    return true;
}

static bool encode_zval(smart_str *buf, zval *value, int depth)
{
    ZVAL_DEREF(value);
    switch (Z_TYPE_P(value)) {
        case IS_NULL:
            smart_str_appendl(buf, "null", 4);
            return true;
        case IS_TRUE:
            smart_str_appendl(buf, "true", 4);
            return true;
        case IS_FALSE:
            smart_str_appendl(buf, "false", 5);
            return true;
        case IS_LONG:
            smart_str_append_long(buf, Z_LVAL_P(value));
            return true;
        case IS_DOUBLE:
            if (!zend_finite(Z_DVAL_P(value))) {
                throw_argument("a float value must be finite, found %s",
                               zend_isnan(Z_DVAL_P(value)) ? "NAN" : "INF");
                return false;
            }
            /* 17 significant digits round-trip; a ".0" keeps 2.0 a float. */
            smart_str_append_double(buf, Z_DVAL_P(value), 17, true);
            return true;
        case IS_STRING:
            encode_string(buf, Z_STRVAL_P(value), Z_STRLEN_P(value));
            return true;
        case IS_ARRAY:
            return encode_table(buf, Z_ARRVAL_P(value), depth, false);
        case IS_OBJECT:
            if (Z_OBJCE_P(value) == zend_standard_class_def) {
                return encode_table(buf, Z_OBJPROP_P(value), depth, true);
            }
            ZEND_FALLTHROUGH;
        default:
            throw_argument("values of type %s cannot be passed to cldkit (use arrays, or stdClass for a map)",
                           zend_zval_type_name(value));
            return false;
    }
}

/* Encodes an options array (NULL: none) into `buf`, NUL-terminated. */
static bool encode_options(smart_str *buf, HashTable *options)
{
    if (options == NULL) {
        smart_str_appendl(buf, "{}", 2);
    } else if (!encode_table(buf, options, 0, false)) {
        return false;
    }
    smart_str_0(buf);
    return true;
}

/* Encodes one value into `buf`, NUL-terminated. */
static bool encode_value(smart_str *buf, zval *value)
{
    if (!encode_zval(buf, value, 0)) {
        return false;
    }
    smart_str_0(buf);
    return true;
}

/* ---- results ----------------------------------------------------------------- */

static void return_string(zval *return_value, CldkitStatus status, char *out, char *error)
{
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        return;
    }
    if (out == NULL) { /* a call that may give no string (authToken in the php profile) */
        RETVAL_NULL();
        return;
    }
    RETVAL_STRING(out);
    cldkit_string_free(out);
}

static void return_json(zval *return_value, CldkitStatus status, char *out, char *error)
{
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        return;
    }
    if (php_json_decode_ex(return_value, out, strlen(out), PHP_JSON_OBJECT_AS_ARRAY, 512) == FAILURE) {
        throw_argument("cldkit returned JSON PHP cannot decode: %s", out);
    }
    cldkit_string_free(out);
}

static void return_client(zval *return_value, CldkitStatus status, CldkitClient *client, char *error)
{
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        return;
    }
    object_init_ex(return_value, cldkit_client_ce);
    client_from_obj(Z_OBJ_P(return_value))->client = client;
}

/* ---- shared method bodies ------------------------------------------------------- */

typedef CldkitStatus (*string_options_fn)(const CldkitClient *, const char *, const char *,
                                          char **, char **);
typedef CldkitStatus (*options_fn)(const CldkitClient *, const char *, char **, char **);

/* method(string $text, array $options = []), string or array result. */
static void call_string_options(INTERNAL_FUNCTION_PARAMETERS, string_options_fn fn,
                                const char *name, bool json_result)
{
    zend_string *text;
    HashTable *options = NULL;
    smart_str buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(text)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(text, name) || !encode_options(&buf, options)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = fn(THIS_CLIENT(), ZSTR_VAL(text), ZSTR_VAL(buf.s), &out, &error);
    smart_str_free(&buf);
    if (json_result) {
        return_json(return_value, status, out, error);
    } else {
        return_string(return_value, status, out, error);
    }
}

/* method(array $options = []), string or array result. */
static void call_options(INTERNAL_FUNCTION_PARAMETERS, options_fn fn, bool json_result)
{
    HashTable *options = NULL;
    smart_str buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!encode_options(&buf, options)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = fn(THIS_CLIENT(), ZSTR_VAL(buf.s), &out, &error);
    smart_str_free(&buf);
    if (json_result) {
        return_json(return_value, status, out, error);
    } else {
        return_string(return_value, status, out, error);
    }
}

/* ---- CldKit\Client ------------------------------------------------------------- */

/* {{{ __construct(array $config) */
PHP_METHOD(CldKit_Client, __construct)
{
    HashTable *config;
    smart_str buf = {0};
    char *error = NULL;
    CldkitClient *client = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(config)
    ZEND_PARSE_PARAMETERS_END();

    /* A client is immutable: running the constructor again (from an upload's
     * progress callable, say) must not replace the handle a call is using. */
    cldkit_client_object *self = client_from_obj(Z_OBJ_P(ZEND_THIS));
    if (self->client != NULL) {
        throw_argument("%s is already constructed: create a new client instead", "CldKit\\Client");
        RETURN_THROWS();
    }
    if (!encode_options(&buf, config)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_client_new(ZSTR_VAL(buf.s), &client, &error);
    smart_str_free(&buf);
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        RETURN_THROWS();
    }
    self->client = client;
}
/* }}} */

PHP_METHOD(CldKit_Client, fromUrl)
{
    zend_string *url;
    CldkitClient *client = NULL;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(url)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(url, "cloudinary_url")) {
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_client_from_url(ZSTR_VAL(url), &client, &error);
    return_client(return_value, status, client, error);
}

PHP_METHOD(CldKit_Client, fromEnv)
{
    CldkitClient *client = NULL;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_NONE();
    CldkitStatus status = cldkit_client_from_env(&client, &error);
    return_client(return_value, status, client, error);
}

PHP_METHOD(CldKit_Client, withProfile)
{
    zend_string *profile;
    CldkitClient *client = NULL;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(profile)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(profile, "profile")) {
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_client_with_profile(THIS_CLIENT(), ZSTR_VAL(profile), &client, &error);
    return_client(return_value, status, client, error);
}

PHP_METHOD(CldKit_Client, withFixedTime)
{
    zend_long now;
    CldkitClient *client = NULL;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(now)
    ZEND_PARSE_PARAMETERS_END();

    CldkitStatus status = cldkit_client_with_fixed_time(THIS_CLIENT(), (int64_t)now, &client, &error);
    return_client(return_value, status, client, error);
}

PHP_METHOD(CldKit_Client, url)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_url, "source", false);
}

PHP_METHOD(CldKit_Client, urlValue)
{
    zval *source;
    HashTable *options = NULL;
    smart_str src = {0}, buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(source)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!encode_value(&src, source) || !encode_options(&buf, options)) {
        smart_str_free(&src);
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_url_value(THIS_CLIENT(), ZSTR_VAL(src.s), ZSTR_VAL(buf.s), &out, &error);
    smart_str_free(&src);
    smart_str_free(&buf);
    return_json(return_value, status, out, error);
}

PHP_METHOD(CldKit_Client, videoThumbnailUrl)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_video_thumbnail_url, "public_id", false);
}

PHP_METHOD(CldKit_Client, apiUrl)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_api_url, "action", false);
}

PHP_METHOD(CldKit_Client, authToken)
{
    call_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_auth_token, false);
}

PHP_METHOD(CldKit_Client, imageTag)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_image_tag, "public_id", false);
}

PHP_METHOD(CldKit_Client, videoTag)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_video_tag, "public_id", false);
}

PHP_METHOD(CldKit_Client, pictureTag)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_picture_tag, "public_id", false);
}

PHP_METHOD(CldKit_Client, apiSignRequest)
{
    HashTable *params;
    zend_string *secret, *algorithm = NULL;
    zend_long version = 2;
    smart_str buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_ARRAY_HT(params)
        Z_PARAM_STR(secret)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(algorithm)
        Z_PARAM_LONG(version)
    ZEND_PARSE_PARAMETERS_END();

    if (version < 0 || version > UINT32_MAX) {
        throw_argument("`signature_version` is out of range%s", "");
        RETURN_THROWS();
    }
    if (!check_c_string(secret, "api_secret") || (algorithm && !check_c_string(algorithm, "algorithm")) ||
        !encode_options(&buf, params)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_api_sign_request(ZSTR_VAL(buf.s), ZSTR_VAL(secret),
                                                  algorithm ? ZSTR_VAL(algorithm) : "sha1",
                                                  (uint32_t)version, &out, &error);
    smart_str_free(&buf);
    return_string(return_value, status, out, error);
}

PHP_METHOD(CldKit_Client, verifyNotification)
{
    zend_string *body, *signature;
    zval *timestamp;
    double valid_for = 0;
    bool valid_for_null = true, valid = false;
    smart_str ts = {0};
    char *error = NULL;

    HashTable *options = NULL; /* the row reads no option */

    ZEND_PARSE_PARAMETERS_START(3, 5)
        Z_PARAM_STR(body)
        Z_PARAM_ZVAL(timestamp)
        Z_PARAM_STR(signature)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE_OR_NULL(valid_for, valid_for_null)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();
    (void)options;

    if (!check_c_string(signature, "signature") || !encode_value(&ts, timestamp)) {
        smart_str_free(&ts);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_verify_notification(
        THIS_CLIENT(), (const uint8_t *)ZSTR_VAL(body), ZSTR_LEN(body), ZSTR_VAL(ts.s),
        ZSTR_VAL(signature), !valid_for_null, valid_for, &valid, &error);
    smart_str_free(&ts);
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        RETURN_THROWS();
    }
    RETURN_BOOL(valid);
}

PHP_METHOD(CldKit_Client, verifyApiResponse)
{
    zval *public_id, *version;
    zend_string *signature;
    bool valid = false;
    smart_str id = {0}, ver = {0};
    char *error = NULL;

    HashTable *options = NULL; /* the row reads no option */

    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_ZVAL(public_id)
        Z_PARAM_ZVAL(version)
        Z_PARAM_STR(signature)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();
    (void)options;

    if (!check_c_string(signature, "signature") || !encode_value(&id, public_id) ||
        !encode_value(&ver, version)) {
        smart_str_free(&id);
        smart_str_free(&ver);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_verify_api_response(THIS_CLIENT(), ZSTR_VAL(id.s), ZSTR_VAL(ver.s),
                                                     ZSTR_VAL(signature), &valid, &error);
    smart_str_free(&id);
    smart_str_free(&ver);
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        RETURN_THROWS();
    }
    RETURN_BOOL(valid);
}

PHP_METHOD(CldKit_Client, uploadParams)
{
    call_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_upload_params, true);
}

PHP_METHOD(CldKit_Client, uploadForm)
{
    call_string_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_upload_form, "file", true);
}

PHP_METHOD(CldKit_Client, uploadApiCall)
{
    zend_string *method;
    HashTable *args = NULL, *options = NULL;
    smart_str a = {0}, o = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(method)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(args)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(method, "method") || !encode_options(&a, args) || !encode_options(&o, options)) {
        smart_str_free(&a);
        smart_str_free(&o);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_upload_api_call(THIS_CLIENT(), ZSTR_VAL(method), ZSTR_VAL(a.s),
                                                 ZSTR_VAL(o.s), &out, &error);
    smart_str_free(&a);
    smart_str_free(&o);
    return_json(return_value, status, out, error);
}

/* Download URLs: up to two JSON value arguments, then options. */
typedef CldkitStatus (*value1_fn)(const CldkitClient *, const char *, const char *, char **, char **);
typedef CldkitStatus (*value2_fn)(const CldkitClient *, const char *, const char *, const char *,
                                  char **, char **);

static void call_values(INTERNAL_FUNCTION_PARAMETERS, int count, int required, value1_fn fn1, value2_fn fn2)
{
    zval *v1 = NULL, *v2 = NULL, null_value;
    HashTable *options = NULL;
    smart_str a = {0}, b = {0}, o = {0};
    char *out = NULL, *error = NULL;
    CldkitStatus status;

    ZVAL_NULL(&null_value);
    ZEND_PARSE_PARAMETERS_START(required, count + 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(v1)
        Z_PARAM_ZVAL(v2)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (count == 1) {
        /* (value, options): the second slot is the options array. */
        if (v2 != NULL) {
            ZVAL_DEREF(v2);
            if (Z_TYPE_P(v2) != IS_ARRAY || options != NULL) {
                zend_argument_type_error(2, "must be of type array, %s given", zend_zval_type_name(v2));
                RETURN_THROWS();
            }
            options = Z_ARRVAL_P(v2);
        }
        v2 = NULL;
    }
    if (!encode_value(&a, v1 ? v1 : &null_value) || (count == 2 && !encode_value(&b, v2 ? v2 : &null_value)) ||
        !encode_options(&o, options)) {
        smart_str_free(&a);
        smart_str_free(&b);
        smart_str_free(&o);
        RETURN_THROWS();
    }
    if (count == 1) {
        status = fn1(THIS_CLIENT(), ZSTR_VAL(a.s), ZSTR_VAL(o.s), &out, &error);
    } else {
        status = fn2(THIS_CLIENT(), ZSTR_VAL(a.s), ZSTR_VAL(b.s), ZSTR_VAL(o.s), &out, &error);
    }
    smart_str_free(&a);
    smart_str_free(&b);
    smart_str_free(&o);
    return_string(return_value, status, out, error);
}

PHP_METHOD(CldKit_Client, privateDownloadUrl)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 2, 2, NULL, cldkit_private_download_url);
}

PHP_METHOD(CldKit_Client, downloadArchiveUrl)
{
    call_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_download_archive_url, false);
}

PHP_METHOD(CldKit_Client, downloadZipUrl)
{
    call_options(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_download_zip_url, false);
}

PHP_METHOD(CldKit_Client, downloadFolder)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1, 1, cldkit_download_folder, NULL);
}

PHP_METHOD(CldKit_Client, downloadBackedupAsset)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 2, 2, NULL, cldkit_download_backedup_asset);
}

PHP_METHOD(CldKit_Client, zipDownloadUrl)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1, 1, cldkit_zip_download_url, NULL);
}

PHP_METHOD(CldKit_Client, downloadGeneratedSprite)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 2, 0, NULL, cldkit_download_generated_sprite);
}

PHP_METHOD(CldKit_Client, downloadMulti)
{
    call_values(INTERNAL_FUNCTION_PARAM_PASSTHRU, 2, 0, NULL, cldkit_download_multi);
}

PHP_METHOD(CldKit_Client, parseCloudinaryUrl)
{
    zend_string *url, *profile = NULL;
    bool account = false;
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(url)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(account)
        Z_PARAM_STR_OR_NULL(profile)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(url, "url") || (profile && !check_c_string(profile, "profile"))) {
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_parse_settings_url(ZSTR_VAL(url), account,
        profile ? ZSTR_VAL(profile) : NULL, &out, &error);
    return_json(return_value, status, out, error);
}

PHP_METHOD(CldKit_Exception, getKind)
{
    zval rv;
    ZEND_PARSE_PARAMETERS_NONE();
    zval *kind = zend_read_property(cldkit_exception_ce, Z_OBJ_P(ZEND_THIS), "kind", sizeof("kind") - 1, 1, &rv);
    RETURN_COPY_DEREF(kind);
}

/* ---- uploads and the Admin API ------------------------------------------------ */

/* Throws for a failed HTTP call from its error JSON ({"code", "status", "message",
 * "http_status", "request_id", "reset_at"}): CldKit\ApiException for the API codes,
 * CldKit\Exception otherwise, with getHttpStatus(), getRequestId(), getResetAt().
 * Frees `error_json`. */
static void throw_api(CldkitStatus status, char *error_json)
{
    zval decoded;
    const char *message = cldkit_status_name(status);
    ZVAL_UNDEF(&decoded);
    if (error_json != NULL &&
        php_json_decode_ex(&decoded, error_json, strlen(error_json), PHP_JSON_OBJECT_AS_ARRAY, 8) == SUCCESS &&
        Z_TYPE(decoded) == IS_ARRAY) {
        zval *m = zend_hash_str_find(Z_ARRVAL(decoded), "message", sizeof("message") - 1);
        if (m && Z_TYPE_P(m) == IS_STRING) {
            message = Z_STRVAL_P(m);
        }
    }
    zend_object *ex = zend_throw_exception(status_class(status), message, (zend_long)status);
    zend_update_property_string(cldkit_exception_ce, ex, "kind", sizeof("kind") - 1, cldkit_status_name(status));
    if (Z_TYPE(decoded) == IS_ARRAY) {
        static const char *const fields[] = {"http_status", "httpStatus", "request_id", "requestId", "reset_at", "resetAt"};
        for (int i = 0; i < 6; i += 2) {
            zval *v = zend_hash_str_find(Z_ARRVAL(decoded), fields[i], strlen(fields[i]));
            if (v && (Z_TYPE_P(v) == IS_LONG || Z_TYPE_P(v) == IS_STRING)) {
                zend_update_property(cldkit_exception_ce, ex, fields[i + 1], strlen(fields[i + 1]), v);
            }
        }
    }
    zval_ptr_dtor(&decoded);
    cldkit_string_free(error_json);
}

/* Returns the decoded JSON answer, or throws from the error JSON. */
static void return_api(zval *return_value, CldkitStatus status, char *out, char *error_json)
{
    if (status != CLDKIT_OK) {
        cldkit_string_free(out);
        throw_api(status, error_json);
        return;
    }
    if (php_json_decode_ex(return_value, out, strlen(out), PHP_JSON_OBJECT_AS_ARRAY, 512) == FAILURE) {
        throw_argument("cldkit returned JSON PHP cannot decode: %s", out);
    }
    cldkit_string_free(out);
}

/* A PHP progress callable, called as fn(int $done, ?int $total) on this thread. */
typedef struct {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    /* A fatal error (a bailout) inside the callable, re-raised once the upload has
     * returned: a longjmp must never cross libcldkit's (Rust) frames. */
    bool bailout;
} progress_ctx;

/* The C callback: runs the callable inside zend_try. An exception or a fatal error
 * stops the upload (non-zero return); the exception is rethrown, the fatal error
 * re-raised, when cldkit_upload returns. */
static int php_progress(uint64_t done, uint64_t total, void *user)
{
    progress_ctx *ctx = user;
    zval args[2], retval;
    if (ctx->bailout || EG(exception)) {
        return 1;
    }
    ZVAL_LONG(&args[0], (zend_long)done);
    if (total == UINT64_MAX) {
        ZVAL_NULL(&args[1]);
    } else {
        ZVAL_LONG(&args[1], (zend_long)total);
    }
    ZVAL_UNDEF(&retval);
    ctx->fci.params = args;
    ctx->fci.param_count = 2;
    ctx->fci.retval = &retval;
    zend_try {
        if (zend_call_function(&ctx->fci, &ctx->fcc) == SUCCESS) {
            zval_ptr_dtor(&retval);
        }
    } zend_catch {
        ctx->bailout = true;
    } zend_end_try();
    return ctx->bailout || EG(exception) ? 1 : 0;
}

/* Finishes an upload: a fatal error inside the progress callable is re-raised now
 * that no libcldkit frame is on the stack; a PHP exception it threw wins over the
 * upload's result. */
static void finish_upload(zval *return_value, progress_ctx *ctx, CldkitStatus status, char *out,
                          char *error_json)
{
    if (ctx->bailout || EG(exception)) {
        cldkit_string_free(out);
        cldkit_string_free(error_json);
        if (ctx->bailout) {
            zend_bailout();
        }
        return;
    }
    return_api(return_value, status, out, error_json);
}

/* {{{ upload(string $file, array $options = [], ?callable $progress = null): array */
PHP_METHOD(CldKit_Client, upload)
{
    zend_string *file;
    HashTable *options = NULL;
    progress_ctx ctx = {0};
    bool has_progress = false;
    smart_str buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
        Z_PARAM_FUNC_OR_NULL(ctx.fci, ctx.fcc)
    ZEND_PARSE_PARAMETERS_END();
    has_progress = ZEND_FCI_INITIALIZED(ctx.fci);

    if (!check_c_string(file, "file") || !encode_options(&buf, options)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_upload(THIS_CLIENT(), ZSTR_VAL(file), ZSTR_VAL(buf.s),
                                        has_progress ? php_progress : NULL, &ctx, &out, &error);
    smart_str_free(&buf);
    finish_upload(return_value, &ctx, status, out, error);
}
/* }}} */

/* {{{ uploadBytes(string $data, array $options = [], ?string $filename = null, ?callable $progress = null): array */
PHP_METHOD(CldKit_Client, uploadBytes)
{
    zend_string *data, *filename = NULL;
    HashTable *options = NULL;
    progress_ctx ctx = {0};
    smart_str buf = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
        Z_PARAM_STR_OR_NULL(filename)
        Z_PARAM_FUNC_OR_NULL(ctx.fci, ctx.fcc)
    ZEND_PARSE_PARAMETERS_END();

    if ((filename && !check_c_string(filename, "filename")) || !encode_options(&buf, options)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_upload_bytes(THIS_CLIENT(), (const uint8_t *)ZSTR_VAL(data), ZSTR_LEN(data),
                                              filename ? ZSTR_VAL(filename) : NULL, ZSTR_VAL(buf.s),
                                              ZEND_FCI_INITIALIZED(ctx.fci) ? php_progress : NULL, &ctx, &out, &error);
    smart_str_free(&buf);
    finish_upload(return_value, &ctx, status, out, error);
}
/* }}} */

typedef CldkitStatus (*api_fn)(const CldkitClient *, const char *, const char *, const char *, char **, char **);

/* Sends `call` with encoded args and options through `fn` (cldkit_account_call on
 * an account client); returns the decoded result or throws. */
static void send_call(zval *return_value, const cldkit_client_object *self, api_fn fn, const char *call,
                      const char *args, HashTable *options)
{
    smart_str buf = {0};
    char *out = NULL, *error = NULL;
    CldkitStatus status;
    if (!encode_options(&buf, options)) {
        smart_str_free(&buf);
        return;
    }
    if (self->account != NULL) {
        status = cldkit_account_call(self->account, call, args, ZSTR_VAL(buf.s), &out, &error);
    } else {
        status = fn(self->client, call, args, ZSTR_VAL(buf.s), &out, &error);
    }
    smart_str_free(&buf);
    return_api(return_value, status, out, error);
}

/* method(string $call, array $args = [], array $options = []): array */
static void call_by_name(INTERNAL_FUNCTION_PARAMETERS, api_fn fn, const char *what)
{
    zend_string *call;
    HashTable *args = NULL, *options = NULL;
    smart_str a = {0};

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(call)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(args)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(call, what) || !encode_options(&a, args)) {
        smart_str_free(&a);
        RETURN_THROWS();
    }
    send_call(return_value, THIS_OBJECT(), fn, ZSTR_VAL(call), ZSTR_VAL(a.s), options);
    smart_str_free(&a);
}

PHP_METHOD(CldKit_Client, callUploadApi)
{
    call_by_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_call_upload_api, "method");
}

PHP_METHOD(CldKit_Client, admin)
{
    call_by_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_admin, "call");
}

/* Calls a sync's progress callable with one event (its JSON decoded to an array),
 * inside zend_try: returns false when it threw or hit a fatal error (`*bailout`). */
static bool sync_event(zend_fcall_info *fci, zend_fcall_info_cache *fcc, char *json, volatile bool *bailout)
{
    zval arg, retval;
    ZVAL_UNDEF(&arg);
    if (php_json_decode_ex(&arg, json, strlen(json), PHP_JSON_OBJECT_AS_ARRAY, 8) == FAILURE) {
        throw_argument("cldkit returned JSON PHP cannot decode: %s", json);
        cldkit_string_free(json);
        return false;
    }
    cldkit_string_free(json);
    ZVAL_UNDEF(&retval);
    fci->params = &arg;
    fci->param_count = 1;
    fci->retval = &retval;
    zend_try {
        if (zend_call_function(fci, fcc) == SUCCESS) {
            zval_ptr_dtor(&retval);
        }
    } zend_catch {
        *bailout = true;
    } zend_end_try();
    fci->params = NULL;
    fci->param_count = 0;
    zval_ptr_dtor(&arg);
    return !*bailout && !EG(exception);
}

/* {{{ sync(mixed $inventory, array $options = [], ?callable $progress = null): array
 * Without a callable: the `sync` row through cldkit_call. With one: the sync runs on
 * a thread of libcldkit (cldkit_sync_start) while this thread takes its events one by
 * one (cldkit_sync_wait) and calls the callable with each, between calls into the
 * library: no PHP code runs on another thread or inside a libcldkit frame. What the
 * callable throws (exit() too) stops and releases the sync, then propagates; a fatal
 * error in it stops and releases the sync, then is re-raised. */
PHP_METHOD(CldKit_Client, sync)
{
    zval *inventory;
    HashTable *options = NULL;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    smart_str a = {0}, o = {0};
    char *out = NULL, *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(inventory)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    /* The arguments as the generated row encodes them: a null inventory is left out. */
    ZVAL_DEREF(inventory);
    if (Z_TYPE_P(inventory) == IS_NULL) {
        smart_str_appendl(&a, "{}", 2);
    } else {
        smart_str_appends(&a, "{\"inventory\":");
        if (!encode_zval(&a, inventory, 1)) {
            smart_str_free(&a);
            RETURN_THROWS();
        }
        smart_str_appendc(&a, '}');
    }
    smart_str_0(&a);
    if (!ZEND_FCI_INITIALIZED(fci)) {
        send_call(return_value, THIS_OBJECT(), cldkit_call, "sync", ZSTR_VAL(a.s), options);
        smart_str_free(&a);
        return;
    }
    if (!encode_options(&o, options)) {
        smart_str_free(&a);
        smart_str_free(&o);
        RETURN_THROWS();
    }
    CldkitSync *sync = NULL;
    CldkitStatus status = cldkit_sync_start(THIS_CLIENT(), ZSTR_VAL(a.s), ZSTR_VAL(o.s), &sync, &error);
    smart_str_free(&a);
    smart_str_free(&o);
    if (status != CLDKIT_OK) {
        throw_api(status, error);
        RETURN_THROWS();
    }
    volatile bool bailout = false;
    bool stopped = false;
    for (;;) {
        CldkitSyncEvent event = CLDKIT_SYNC_RUNNING;
        char *json = NULL;
        status = cldkit_sync_wait(sync, 250, &event, &json);
        if (status != CLDKIT_OK) {
            throw_status(status, NULL);
            stopped = true;
            break;
        }
        if (event == CLDKIT_SYNC_FINISHED) {
            break;
        }
        if (event == CLDKIT_SYNC_PROGRESS && !sync_event(&fci, &fcc, json, &bailout)) {
            stopped = true;
            break;
        }
    }
    if (stopped) {
        /* Stops the sync and waits for its thread: nothing of it outlives this call. */
        cldkit_sync_free(sync);
        if (bailout) {
            zend_bailout();
        }
        RETURN_THROWS();
    }
    status = cldkit_sync_finish(sync, &out, &error);
    cldkit_sync_free(sync);
    return_api(return_value, status, out, error);
}
/* }}} */

/* ---- calls by name: Client::call(), CldKit\AccountClient, the generated methods -- */

/* Client::call() and AccountClient::call(): any row by name. */
PHP_METHOD(CldKit_Client, call)
{
    call_by_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_call, "name");
}

/* {{{ AccountClient::__construct(?string $url = null): from the account URL, else
 * from CLOUDINARY_ACCOUNT_URL */
PHP_METHOD(CldKit_AccountClient, __construct)
{
    zend_string *url = NULL;
    char *error = NULL;
    CldkitAccount *account = NULL;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(url)
    ZEND_PARSE_PARAMETERS_END();

    cldkit_client_object *self = THIS_OBJECT();
    if (self->account != NULL) {
        throw_argument("%s is already constructed: create a new client instead", "CldKit\\AccountClient");
        RETURN_THROWS();
    }
    if (url != NULL && !check_c_string(url, "account_url")) {
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_account_new(url ? ZSTR_VAL(url) : NULL, &account, &error);
    if (status != CLDKIT_OK) {
        throw_status(status, error);
        RETURN_THROWS();
    }
    self->account = account;
}
/* }}} */

static int compare_row(const void *key, const void *row)
{
    return strcmp((const char *)key, ((const cldkit_row *)row)->method);
}

/* Encodes the generated method's argument `i` (1-based) of type `type` under
 * `name`, checked and coerced as the declared type asks (strict_types of the
 * caller honoured, as for any internal function). NULL: leave it out. */
static bool encode_row_arg(smart_str *buf, bool *first, zval *arg, uint32_t i, char type,
                           bool nullable, const char *name)
{
    zend_string *str;
    zend_long lval;
    bool bval, is_null = false;

    ZVAL_DEREF(arg);
    if (Z_TYPE_P(arg) == IS_NULL && (nullable || type == 'm')) {
        return true;
    }
    smart_str_appendc(buf, *first ? '{' : ',');
    *first = false;
    encode_string(buf, name, strlen(name));
    smart_str_appendc(buf, ':');
    switch (type) {
    case 's':
        if (!zend_parse_arg_str(arg, &str, false, i)) {
            zend_wrong_parameter_type_error(i, nullable ? Z_EXPECTED_STRING_OR_NULL : Z_EXPECTED_STRING, arg);
            return false;
        }
        encode_string(buf, ZSTR_VAL(str), ZSTR_LEN(str));
        return true;
    case 'l':
        if (!zend_parse_arg_long(arg, &lval, &is_null, false, i)) {
            zend_wrong_parameter_type_error(i, nullable ? Z_EXPECTED_LONG_OR_NULL : Z_EXPECTED_LONG, arg);
            return false;
        }
        smart_str_append_long(buf, lval);
        return true;
    case 'b':
        if (!zend_parse_arg_bool(arg, &bval, &is_null, false, i)) {
            zend_wrong_parameter_type_error(i, nullable ? Z_EXPECTED_BOOL_OR_NULL : Z_EXPECTED_BOOL, arg);
            return false;
        }
        smart_str_appends(buf, bval ? "true" : "false");
        return true;
    case 'a':
        if (Z_TYPE_P(arg) != IS_ARRAY) {
            zend_wrong_parameter_type_error(i, nullable ? Z_EXPECTED_ARRAY_OR_NULL : Z_EXPECTED_ARRAY, arg);
            return false;
        }
        return encode_zval(buf, arg, 1);
    case 'S':
        if (Z_TYPE_P(arg) == IS_ARRAY) {
            return encode_zval(buf, arg, 1);
        }
        if (!zend_parse_arg_str(arg, &str, false, i)) {
            zend_wrong_parameter_type_error(i, nullable ? Z_EXPECTED_ARRAY_OR_STRING_OR_NULL
                                                        : Z_EXPECTED_ARRAY_OR_STRING, arg);
            return false;
        }
        encode_string(buf, ZSTR_VAL(str), ZSTR_LEN(str));
        return true;
    default:
        return encode_zval(buf, arg, 1);
    }
}

/* The one handler of every generated method: finds the called method's row in
 * `rows` (EX(func) names it), checks and encodes its arguments by the row's
 * parameter names, and runs it. */
static void call_row(INTERNAL_FUNCTION_PARAMETERS, const cldkit_row *rows, size_t count)
{
    const char *method = ZSTR_VAL(EX(func)->common.function_name);
    const cldkit_row *row = bsearch(method, rows, count, sizeof(cldkit_row), compare_row);
    uint32_t argc = ZEND_NUM_ARGS();
    smart_str a = {0};
    bool first = true;

    if (row == NULL) {
        zend_throw_error(NULL, "cldkit: %s is not a catalogue row", method);
        RETURN_THROWS();
    }
    if (argc < row->required || argc > row->count + 1) {
        zend_wrong_parameters_count_error(row->required, row->count + 1);
        RETURN_THROWS();
    }
    HashTable *options = NULL;
    if (argc == row->count + 1) {
        zval *o = ZEND_CALL_ARG(execute_data, argc);
        ZVAL_DEREF(o);
        if (Z_TYPE_P(o) != IS_ARRAY) {
            zend_wrong_parameter_type_error(argc, Z_EXPECTED_ARRAY, o);
            RETURN_THROWS();
        }
        options = Z_ARRVAL_P(o);
    }
    for (uint32_t i = 0; i < argc && i < row->count; i++) {
        if (!encode_row_arg(&a, &first, ZEND_CALL_ARG(execute_data, i + 1), i + 1, row->types[i],
                            i >= row->required, row->params[i])) {
            smart_str_free(&a);
            RETURN_THROWS();
        }
    }
    smart_str_appends(&a, first ? "{}" : "}");
    smart_str_0(&a);
    send_call(return_value, THIS_OBJECT(), cldkit_call, row->row, ZSTR_VAL(a.s), options);
    smart_str_free(&a);
}

static ZEND_NAMED_FUNCTION(cldkit_client_row)
{
    call_row(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_client_rows,
             sizeof(cldkit_client_rows) / sizeof(cldkit_client_rows[0]));
}

static ZEND_NAMED_FUNCTION(cldkit_account_row)
{
    call_row(INTERNAL_FUNCTION_PARAM_PASSTHRU, cldkit_account_rows,
             sizeof(cldkit_account_rows) / sizeof(cldkit_account_rows[0]));
}

/* ---- CldKit\Pages: the pages of an Admin list call (an Iterator) --------------- */

typedef struct {
    CldkitPages *pages;
    zval current;   /* the current page, UNDEF after the last */
    zend_long index;
    bool started;
    zend_object std;
} cldkit_pages_object;

static inline cldkit_pages_object *pages_from_obj(zend_object *obj)
{
    return (cldkit_pages_object *)((char *)obj - XtOffsetOf(cldkit_pages_object, std));
}

#define THIS_PAGES() pages_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *cldkit_pages_create(zend_class_entry *ce)
{
    cldkit_pages_object *o = zend_object_alloc(sizeof(cldkit_pages_object), ce);
    o->pages = NULL;
    ZVAL_UNDEF(&o->current);
    o->index = -1;
    o->started = false;
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cldkit_pages_handlers;
    return &o->std;
}

static void cldkit_pages_free_obj(zend_object *obj)
{
    cldkit_pages_object *o = pages_from_obj(obj);
    cldkit_pages_free(o->pages);
    o->pages = NULL;
    zval_ptr_dtor(&o->current);
    ZVAL_UNDEF(&o->current);
    zend_object_std_dtor(obj);
}

/* Fetches the next page into `current` (UNDEF after the last); throws on failure. */
static void pages_fetch(cldkit_pages_object *o)
{
    char *out = NULL, *error = NULL;
    zval_ptr_dtor(&o->current);
    ZVAL_UNDEF(&o->current);
    o->started = true;
    if (o->pages == NULL) {
        return;
    }
    CldkitStatus status = cldkit_pages_next(o->pages, &out, &error);
    if (status == CLDKIT_OK && out == NULL) {
        return;
    }
    zval page;
    ZVAL_UNDEF(&page);
    return_api(&page, status, out, error);
    if (status == CLDKIT_OK && Z_TYPE(page) != IS_UNDEF) {
        ZVAL_COPY_VALUE(&o->current, &page);
        o->index++;
    }
}

PHP_METHOD(CldKit_Client, adminPages)
{
    zend_string *call;
    HashTable *args = NULL, *options = NULL;
    smart_str a = {0}, b = {0};
    CldkitPages *pages = NULL;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(call)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(args)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (!check_c_string(call, "call") || !encode_options(&a, args) || !encode_options(&b, options)) {
        smart_str_free(&a);
        smart_str_free(&b);
        RETURN_THROWS();
    }
    CldkitStatus status = cldkit_admin_pages(THIS_CLIENT(), ZSTR_VAL(call), ZSTR_VAL(a.s), ZSTR_VAL(b.s), &pages, &error);
    smart_str_free(&a);
    smart_str_free(&b);
    if (status != CLDKIT_OK) {
        throw_api(status, error);
        RETURN_THROWS();
    }
    object_init_ex(return_value, cldkit_pages_ce);
    pages_from_obj(Z_OBJ_P(return_value))->pages = pages;
}

PHP_METHOD(CldKit_Pages, rewind)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cldkit_pages_object *o = THIS_PAGES();
    if (!o->started) {
        pages_fetch(o);
    }
}

PHP_METHOD(CldKit_Pages, valid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cldkit_pages_object *o = THIS_PAGES();
    if (!o->started) {
        pages_fetch(o);
    }
    RETURN_BOOL(Z_TYPE(o->current) != IS_UNDEF);
}

PHP_METHOD(CldKit_Pages, current)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cldkit_pages_object *o = THIS_PAGES();
    if (!o->started) {
        pages_fetch(o);
    }
    if (Z_TYPE(o->current) == IS_UNDEF) {
        RETURN_NULL();
    }
    RETURN_COPY(&o->current);
}

PHP_METHOD(CldKit_Pages, key)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cldkit_pages_object *o = THIS_PAGES();
    if (Z_TYPE(o->current) == IS_UNDEF) {
        RETURN_NULL();
    }
    RETURN_LONG(o->index);
}

PHP_METHOD(CldKit_Pages, next)
{
    ZEND_PARSE_PARAMETERS_NONE();
    pages_fetch(THIS_PAGES());
}

/* {{{ CldKit\Exception accessors */
static void read_exception_property(INTERNAL_FUNCTION_PARAMETERS, const char *name)
{
    zval rv;
    ZEND_PARSE_PARAMETERS_NONE();
    zval *v = zend_read_property(cldkit_exception_ce, Z_OBJ_P(ZEND_THIS), name, strlen(name), 1, &rv);
    RETURN_COPY_DEREF(v);
}

PHP_METHOD(CldKit_Exception, getHttpStatus)
{
    read_exception_property(INTERNAL_FUNCTION_PARAM_PASSTHRU, "httpStatus");
}

PHP_METHOD(CldKit_Exception, getRequestId)
{
    read_exception_property(INTERNAL_FUNCTION_PARAM_PASSTHRU, "requestId");
}

PHP_METHOD(CldKit_Exception, getResetAt)
{
    read_exception_property(INTERNAL_FUNCTION_PARAM_PASSTHRU, "resetAt");
}
/* }}} */

/* ---- arginfo ------------------------------------------------------------------- */

ZEND_BEGIN_ARG_INFO_EX(arginfo_construct, 0, 0, 1)
    ZEND_ARG_TYPE_INFO(0, config, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_from_url, 0, 1, MAY_BE_STATIC)
    ZEND_ARG_TYPE_INFO(0, cloudinaryUrl, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_from_env, 0, 0, MAY_BE_STATIC)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_with_profile, 0, 1, MAY_BE_STATIC)
    ZEND_ARG_TYPE_INFO(0, profile, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_with_fixed_time, 0, 1, MAY_BE_STATIC)
    ZEND_ARG_TYPE_INFO(0, unixSeconds, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define STRING_OPTIONS_ARGINFO(name, arg, ret)                                  \
    ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(name, 0, 1, ret, 0)                \
        ZEND_ARG_TYPE_INFO(0, arg, IS_STRING, 0)                                \
        ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")    \
    ZEND_END_ARG_INFO()

STRING_OPTIONS_ARGINFO(arginfo_url, source, IS_STRING)
STRING_OPTIONS_ARGINFO(arginfo_public_id_string, publicId, IS_STRING)
STRING_OPTIONS_ARGINFO(arginfo_api_url, action, IS_STRING)
STRING_OPTIONS_ARGINFO(arginfo_upload_form, file, IS_ARRAY)

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_url_value, 0, 1, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, source, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_options_string, 0, 0, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_options_nullable_string, 0, 0, IS_STRING, 1)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_options_array, 0, 0, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_api_sign_request, 0, 2, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, params, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, apiSecret, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, algorithm, IS_STRING, 0, "\"sha1\"")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, signatureVersion, IS_LONG, 0, "2")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_verify_notification, 0, 3, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, timestamp, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, signature, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, validFor, IS_DOUBLE, 1, "null")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_verify_api_response, 0, 3, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, publicId, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, version, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, signature, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_upload_api_call, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, method, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, args, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_download_folder, 0, 1, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, folderPath, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zip_download_url, 0, 1, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, tag, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_private_download_url, 0, 2, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, publicId, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, format, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_backedup, 0, 2, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, assetId, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, versionId, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_tag_urls, 0, 0, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, tag, IS_MIXED, 0, "null")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, urls, IS_MIXED, 0, "null")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_parse_url, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, url, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, account, _IS_BOOL, 0, "false")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, profile, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_get_kind, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_upload, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, file, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, progress, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_sync, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, inventory, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, progress, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_upload_bytes, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, filename, IS_STRING, 1, "null")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, progress, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

#define CALL_ARGINFO(name, first)                                                \
    ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(name, 0, 1, IS_ARRAY, 0)             \
        ZEND_ARG_TYPE_INFO(0, first, IS_STRING, 0)                               \
        ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, args, IS_ARRAY, 0, "[]")        \
        ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")     \
    ZEND_END_ARG_INFO()

CALL_ARGINFO(arginfo_call_upload_api, method)
CALL_ARGINFO(arginfo_admin, call)

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_admin_pages, 0, 1, CldKit\\Pages, 0)
    ZEND_ARG_TYPE_INFO(0, call, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, args, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_void, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_bool, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_mixed, 0, 0, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_nullable_int, 0, 0, IS_LONG, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_nullable_string, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_call, 0, 1, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, args, IS_ARRAY, 0, "[]")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_account_construct, 0, 0, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, url, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

#define M(name, arginfo) PHP_ME(CldKit_Client, name, arginfo, ZEND_ACC_PUBLIC)
#define S(name, arginfo) PHP_ME(CldKit_Client, name, arginfo, ZEND_ACC_PUBLIC | ZEND_ACC_STATIC)

static const zend_function_entry cldkit_client_methods[] = {
    M(__construct, arginfo_construct)
    S(fromUrl, arginfo_from_url)
    S(fromEnv, arginfo_from_env)
    M(withProfile, arginfo_with_profile)
    M(withFixedTime, arginfo_with_fixed_time)
    M(url, arginfo_url)
    M(urlValue, arginfo_url_value)
    M(videoThumbnailUrl, arginfo_public_id_string)
    M(apiUrl, arginfo_api_url)
    M(authToken, arginfo_options_nullable_string)
    M(imageTag, arginfo_public_id_string)
    M(videoTag, arginfo_public_id_string)
    M(pictureTag, arginfo_public_id_string)
    S(apiSignRequest, arginfo_api_sign_request)
    M(verifyNotification, arginfo_verify_notification)
    M(verifyApiResponse, arginfo_verify_api_response)
    M(uploadParams, arginfo_options_array)
    M(uploadForm, arginfo_upload_form)
    M(uploadApiCall, arginfo_upload_api_call)
    M(privateDownloadUrl, arginfo_private_download_url)
    M(downloadArchiveUrl, arginfo_options_string)
    M(downloadZipUrl, arginfo_options_string)
    M(downloadFolder, arginfo_download_folder)
    M(downloadBackedupAsset, arginfo_backedup)
    M(zipDownloadUrl, arginfo_zip_download_url)
    M(downloadGeneratedSprite, arginfo_tag_urls)
    M(downloadMulti, arginfo_tag_urls)
    S(parseCloudinaryUrl, arginfo_parse_url)
    M(upload, arginfo_upload)
    M(uploadBytes, arginfo_upload_bytes)
    M(sync, arginfo_sync)
    M(callUploadApi, arginfo_call_upload_api)
    M(admin, arginfo_admin)
    M(adminPages, arginfo_admin_pages)
    M(call, arginfo_call)
    CLDKIT_CLIENT_ROW_METHODS(cldkit_client_row)
    PHP_FE_END
};

static const zend_function_entry cldkit_account_methods[] = {
    PHP_ME(CldKit_AccountClient, __construct, arginfo_account_construct, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Client, call, arginfo_call, ZEND_ACC_PUBLIC)
    CLDKIT_ACCOUNT_ROW_METHODS(cldkit_account_row)
    PHP_FE_END
};

static const zend_function_entry cldkit_pages_methods[] = {
    PHP_ME(CldKit_Pages, rewind, arginfo_void, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Pages, valid, arginfo_bool, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Pages, current, arginfo_mixed, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Pages, key, arginfo_mixed, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Pages, next, arginfo_void, ZEND_ACC_PUBLIC)
    PHP_FE_END
};

static const zend_function_entry cldkit_exception_methods[] = {
    PHP_ME(CldKit_Exception, getKind, arginfo_get_kind, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Exception, getHttpStatus, arginfo_nullable_int, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Exception, getRequestId, arginfo_nullable_string, ZEND_ACC_PUBLIC)
    PHP_ME(CldKit_Exception, getResetAt, arginfo_nullable_int, ZEND_ACC_PUBLIC)
    PHP_FE_END
};

/* ---- module ------------------------------------------------------------------ */

#if PHP_VERSION_ID >= 80200
/* Gives parameter `offset` of method `lc_name` (lower case) the #[\SensitiveParameter]
 * attribute: traces show a SensitiveParameterValue instead of its value. */
static void mark_sensitive(zend_class_entry *ce, const char *lc_name, uint32_t offset)
{
    zend_function *fn = zend_hash_str_find_ptr(&ce->function_table, lc_name, strlen(lc_name));
    if (fn != NULL) {
        zend_add_parameter_attribute(fn, offset, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
    }
}
#endif

PHP_MINIT_FUNCTION(cldkit)
{
    zend_class_entry ce;

    INIT_NS_CLASS_ENTRY(ce, "CldKit", "Exception", cldkit_exception_methods);
    cldkit_exception_ce = zend_register_internal_class_ex(&ce, spl_ce_RuntimeException);
    zend_declare_property_string(cldkit_exception_ce, "kind", sizeof("kind") - 1, "", ZEND_ACC_PROTECTED);
    zend_declare_property_null(cldkit_exception_ce, "httpStatus", sizeof("httpStatus") - 1, ZEND_ACC_PROTECTED);
    zend_declare_property_null(cldkit_exception_ce, "requestId", sizeof("requestId") - 1, ZEND_ACC_PROTECTED);
    zend_declare_property_null(cldkit_exception_ce, "resetAt", sizeof("resetAt") - 1, ZEND_ACC_PROTECTED);

    /* An API call's failure (codes 6 to 16): HTTP status, request id, reset time. */
    INIT_NS_CLASS_ENTRY(ce, "CldKit", "ApiException", NULL);
    cldkit_api_exception_ce = zend_register_internal_class_ex(&ce, cldkit_exception_ce);

    /* One class per error kind of the core's table (cldkit_calls.h): under
     * CldKit\ApiException for API failures, else CldKit\Exception. */
    for (size_t i = 0; i < sizeof(cldkit_error_kinds) / sizeof(cldkit_error_kinds[0]); i++) {
        const cldkit_error_kind *k = &cldkit_error_kinds[i];
        zend_class_entry kind_ce;
        char name[96];
        int len = snprintf(name, sizeof(name), "CldKit\\%s", k->class_name);
        INIT_CLASS_ENTRY_EX(kind_ce, name, len, NULL);
        cldkit_status_ce[k->status] =
            zend_register_internal_class_ex(&kind_ce, k->api ? cldkit_api_exception_ce : cldkit_exception_ce);
    }

    INIT_NS_CLASS_ENTRY(ce, "CldKit", "AccountClient", cldkit_account_methods);
    cldkit_account_ce = zend_register_internal_class(&ce);
    cldkit_account_ce->ce_flags |= ZEND_ACC_FINAL | ZEND_ACC_NOT_SERIALIZABLE;
    cldkit_account_ce->create_object = cldkit_client_create; /* the client's handlers too */

    INIT_NS_CLASS_ENTRY(ce, "CldKit", "Pages", cldkit_pages_methods);
    cldkit_pages_ce = zend_register_internal_class(&ce);
    cldkit_pages_ce->ce_flags |= ZEND_ACC_FINAL | ZEND_ACC_NOT_SERIALIZABLE | ZEND_ACC_NO_DYNAMIC_PROPERTIES;
    cldkit_pages_ce->create_object = cldkit_pages_create;
    zend_class_implements(cldkit_pages_ce, 1, zend_ce_iterator);
    memcpy(&cldkit_pages_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cldkit_pages_handlers.offset = XtOffsetOf(cldkit_pages_object, std);
    cldkit_pages_handlers.free_obj = cldkit_pages_free_obj;
    cldkit_pages_handlers.clone_obj = NULL;

    INIT_NS_CLASS_ENTRY(ce, "CldKit", "Client", cldkit_client_methods);
    cldkit_client_ce = zend_register_internal_class(&ce);
    cldkit_client_ce->ce_flags |= ZEND_ACC_FINAL | ZEND_ACC_NOT_SERIALIZABLE;
    cldkit_client_ce->create_object = cldkit_client_create;

#if PHP_VERSION_ID >= 80200
    /* Secrets stay out of stack traces (exception traces, debug_backtrace()). */
    mark_sensitive(cldkit_client_ce, "__construct", 0);
    mark_sensitive(cldkit_client_ce, "fromurl", 0);
    mark_sensitive(cldkit_client_ce, "parsecloudinaryurl", 0);
    mark_sensitive(cldkit_client_ce, "apisignrequest", 1);
    mark_sensitive(cldkit_account_ce, "__construct", 0);
#endif

    memcpy(&cldkit_client_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cldkit_client_handlers.offset = XtOffsetOf(cldkit_client_object, std);
    cldkit_client_handlers.free_obj = cldkit_client_free_obj;
    cldkit_client_handlers.clone_obj = NULL;
    return SUCCESS;
}

PHP_MINFO_FUNCTION(cldkit)
{
    php_info_print_table_start();
    php_info_print_table_row(2, "cldkit support", "enabled");
    php_info_print_table_row(2, "extension version", PHP_CLDKIT_VERSION);
    php_info_print_table_row(2, "libcldkit version", cldkit_version());
    php_info_print_table_end();
}

static const zend_module_dep cldkit_deps[] = {
    ZEND_MOD_REQUIRED("json")
    ZEND_MOD_REQUIRED("spl")
    ZEND_MOD_END
};

zend_module_entry cldkit_module_entry = {
    STANDARD_MODULE_HEADER_EX, NULL, cldkit_deps,
    "cldkit",
    NULL,
    PHP_MINIT(cldkit),
    NULL,
    NULL,
    NULL,
    PHP_MINFO(cldkit),
    PHP_CLDKIT_VERSION,
    STANDARD_MODULE_PROPERTIES
};

#ifdef COMPILE_DL_CLDKIT
ZEND_GET_MODULE(cldkit)
#endif
