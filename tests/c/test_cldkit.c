/*
 * C test suite for libcldkit: every exported function, its success path and its
 * error paths (NULL pointers, invalid UTF-8, malformed JSON, wrong JSON shapes and
 * the core's own errors), plus one handle shared by several threads.
 *
 * Build and run (see tests/c/run.sh):
 *   cc -Wall -Wextra -Werror test_cldkit.c $(pkg-config --cflags --libs cldkit) -lpthread
 *   valgrind --leak-check=full --error-exitcode=1 ./a.out
 */
#include <cldkit.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;
static const char *context = ""; /* the function whose shared error paths run */

#define CHECK(cond)                                                         \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
        }                                                                   \
    } while (0)

/* Checks a status and an error message; frees the message. */
static void expect_error(CldkitStatus got, CldkitStatus want, char *err,
                         const char *needle, int line) {
    checks++;
    if (got != want || err == NULL || (needle && strstr(err, needle) == NULL)) {
        failures++;
        fprintf(stderr, "line %d%s%s: want status %s containing \"%s\", got %s: %s\n",
                line, *context ? " in " : "", context, cldkit_status_name(want), needle ? needle : "",
                cldkit_status_name(got), err ? err : "(no message)");
    }
    cldkit_string_free(err);
}
#define EXPECT_ERR(call, want, needle)                                       \
    do {                                                                     \
        char *err_ = NULL, *out_ = NULL;                                     \
        char **error = &err_;                                                \
        char **out = &out_;                                                  \
        CldkitStatus st_ = (call);                                           \
        (void)out;                                                           \
        CHECK(out_ == NULL);                                                 \
        cldkit_string_free(out_);                                            \
        expect_error(st_, want, err_, needle, __LINE__);                     \
    } while (0)

/* Checks success and the exact string; frees it. */
static void expect_str(CldkitStatus st, char *err, char *out, const char *want,
                       int line) {
    checks++;
    if (st != CLDKIT_OK || err != NULL || out == NULL || strcmp(out, want) != 0) {
        failures++;
        fprintf(stderr, "line %d: want \"%s\", got status %s, out \"%s\", error \"%s\"\n",
                line, want, cldkit_status_name(st), out ? out : "(null)",
                err ? err : "");
    }
    cldkit_string_free(out);
    cldkit_string_free(err);
}
#define EXPECT_STR(call, want)                                               \
    do {                                                                     \
        char *out_ = NULL, *err_ = NULL;                                     \
        char **out = &out_;                                                  \
        char **error = &err_;                                                \
        CldkitStatus st_ = (call);                                           \
        expect_str(st_, err_, out_, want, __LINE__);                         \
    } while (0)

/* Checks success and that the string starts with `prefix` and contains `needle`. */
static void expect_like(CldkitStatus st, char *err, char *out, const char *prefix,
                        const char *needle, int line) {
    checks++;
    if (st != CLDKIT_OK || err != NULL || out == NULL ||
        strncmp(out, prefix, strlen(prefix)) != 0 || strstr(out, needle) == NULL) {
        failures++;
        fprintf(stderr, "line %d: want \"%s...%s\", got status %s, out \"%s\", error \"%s\"\n",
                line, prefix, needle, cldkit_status_name(st), out ? out : "(null)",
                err ? err : "");
    }
    cldkit_string_free(out);
    cldkit_string_free(err);
}
#define EXPECT_LIKE(call, prefix, needle)                                    \
    do {                                                                     \
        char *out_ = NULL, *err_ = NULL;                                     \
        char **out = &out_;                                                  \
        char **error = &err_;                                                \
        CldkitStatus st_ = (call);                                           \
        expect_like(st_, err_, out_, prefix, needle, __LINE__);              \
    } while (0)

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};
static CldkitClient *client; /* cloud demo, key 1234567890, secret abcd, clock fixed */

static void test_library_info(void) {
    CHECK(strcmp(cldkit_version(), "0.1.0") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_OK), "ok") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_INVALID_OPTION), "invalid_option") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_CONFIG), "config") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_SIGNATURE), "signature") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_INVALID_ARGUMENT), "invalid_argument") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_INTERNAL), "internal") == 0);
    CHECK(strcmp(cldkit_status_name(42), "unknown") == 0);
    CHECK(strcmp(cldkit_status_name(-1), "unknown") == 0);
    cldkit_string_free(NULL);
    cldkit_client_free(NULL);
}

static void test_clients(void) {
    CldkitClient *c = NULL, *d = NULL;
    char *err = NULL;

    /* From a JSON configuration, with and without a profile. */
    CHECK(cldkit_client_new("{\"cloud_name\":\"demo\",\"analytics\":false,\"profile\":\"python\"}", &c, &err) == CLDKIT_OK);
    CHECK(c != NULL && err == NULL);
    EXPECT_STR(cldkit_url(c, "s", "{}", out, error), "http://res.cloudinary.com/demo/image/upload/s");
    CHECK(cldkit_client_with_profile(c, "default", &d, NULL) == CLDKIT_OK && d != NULL);
    EXPECT_STR(cldkit_url(d, "s", "{}", out, error), "https://res.cloudinary.com/demo/image/upload/s");
    cldkit_client_free(c);
    c = NULL;
    /* A derived handle outlives its parent. */
    EXPECT_STR(cldkit_url(d, "s", "null", out, error), "https://res.cloudinary.com/demo/image/upload/s");
    cldkit_client_free(d);
    d = NULL;

    EXPECT_ERR(cldkit_client_new(NULL, &c, error), CLDKIT_INVALID_ARGUMENT, "config_json");
    CHECK(c == NULL);
    EXPECT_ERR(cldkit_client_new("{\"cloud_name\":", &c, error), CLDKIT_INVALID_ARGUMENT, "not valid JSON");
    EXPECT_ERR(cldkit_client_new("[1]", &c, error), CLDKIT_INVALID_ARGUMENT, "JSON object");
    EXPECT_ERR(cldkit_client_new(BAD_UTF8, &c, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_client_new("{\"profile\":\"ruby\"}", &c, error), CLDKIT_CONFIG, "profile");
    EXPECT_ERR(cldkit_client_new("{\"profile\":3}", &c, error), CLDKIT_INVALID_ARGUMENT, "profile");
    EXPECT_ERR(cldkit_client_new("{}", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    /* error may be NULL. */
    CHECK(cldkit_client_new(NULL, &c, NULL) == CLDKIT_INVALID_ARGUMENT && c == NULL);

    /* From a CLOUDINARY_URL. */
    CHECK(cldkit_client_from_url("cloudinary://k:s@demo?secure=true&analytics=false", &c, &err) == CLDKIT_OK);
    EXPECT_STR(cldkit_url(c, "s", "{}", out, error), "https://res.cloudinary.com/demo/image/upload/s");
    cldkit_client_free(c);
    c = NULL;
    EXPECT_ERR(cldkit_client_from_url("http://k:s@demo", &c, error), CLDKIT_CONFIG, NULL);
    CHECK(c == NULL);
    EXPECT_ERR(cldkit_client_from_url(NULL, &c, error), CLDKIT_INVALID_ARGUMENT, "cloudinary_url");
    EXPECT_ERR(cldkit_client_from_url(BAD_UTF8, &c, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_client_from_url("cloudinary://k:s@demo", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");

    /* From the environment. */
    setenv("CLOUDINARY_URL", "cloudinary://k:s@envcloud", 1);
    CHECK(cldkit_client_from_env(&c, &err) == CLDKIT_OK && err == NULL);
    EXPECT_LIKE(cldkit_url(c, "s", "{}", out, error), "https://res.cloudinary.com/envcloud/", "/s");
    cldkit_client_free(c);
    c = NULL;
    setenv("CLOUDINARY_URL", "nope://k:s@envcloud", 1);
    EXPECT_ERR(cldkit_client_from_env(&c, error), CLDKIT_CONFIG, NULL);
    unsetenv("CLOUDINARY_URL");
    EXPECT_ERR(cldkit_client_from_env(NULL, error), CLDKIT_INVALID_ARGUMENT, "out");

    /* Derived handles. */
    EXPECT_ERR(cldkit_client_with_profile(NULL, "python", &d, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_ERR(cldkit_client_with_profile(client, NULL, &d, error), CLDKIT_INVALID_ARGUMENT, "profile");
    EXPECT_ERR(cldkit_client_with_profile(client, BAD_UTF8, &d, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_client_with_profile(client, "perl", &d, error), CLDKIT_CONFIG, "profile");
    EXPECT_ERR(cldkit_client_with_profile(client, "python", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    CHECK(d == NULL);
    CHECK(cldkit_client_with_fixed_time(client, 1, &d, &err) == CLDKIT_OK && d != NULL);
    EXPECT_STR(cldkit_auth_token(d, "{\"key\":\"00112233FF99\",\"duration\":10,\"acl\":\"/*\"}", out, error),
               "__cld_token__=exp=11~acl=%2f*~hmac=e6a06eee33d2b7684e42581fbc91d22b0031d5e0737002352dc3905bf0f0b3fa");
    cldkit_client_free(d);
    EXPECT_ERR(cldkit_client_with_fixed_time(NULL, 1, &d, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_ERR(cldkit_client_with_fixed_time(client, 1, NULL, error), CLDKIT_INVALID_ARGUMENT, "out");

    /* Parsing without a client. */
    EXPECT_STR(cldkit_parse_cloudinary_url("cloudinary://k:s@demo?secure=true", false, out, error),
               "{\"cloud_name\":\"demo\",\"api_key\":\"k\",\"api_secret\":\"s\",\"private_cdn\":false,\"secure\":\"true\"}");
    EXPECT_LIKE(cldkit_parse_cloudinary_url("account://pk:ps@acc", true, out, error), "{", "\"acc\"");
    EXPECT_ERR(cldkit_parse_cloudinary_url("cloudinary://k:s@demo", true, out, error), CLDKIT_CONFIG, NULL);
    EXPECT_ERR(cldkit_parse_cloudinary_url(NULL, false, out, error), CLDKIT_INVALID_ARGUMENT, "url");
    EXPECT_ERR(cldkit_parse_cloudinary_url("cloudinary://k:s@demo", false, NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
}

/* The errors every function shares: NULL client, NULL / non-UTF-8 / malformed /
 * wrongly shaped options, NULL out. `fn` is called as fn(client, options, out, error)
 * through a small adapter per function. */
typedef CldkitStatus (*options_fn)(const CldkitClient *, const char *, char **, char **);

static void common_errors(const char *name, options_fn fn) {
    char *o = NULL;
    context = name;
    EXPECT_ERR(fn(NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_ERR(fn(client, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "_json");
    EXPECT_ERR(fn(client, BAD_UTF8, out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(fn(client, "{\"width\":", out, error), CLDKIT_INVALID_ARGUMENT, "not valid JSON");
    EXPECT_ERR(fn(client, "\"width\"", out, error), CLDKIT_INVALID_ARGUMENT, "JSON object");
    EXPECT_ERR(fn(client, "{}", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    /* error may be NULL on failure too. */
    CHECK(fn(NULL, "{}", &o, NULL) == CLDKIT_INVALID_ARGUMENT && o == NULL);
    context = "";
}

static CldkitStatus a_url(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_url(c, "sample", o, out, e);
}
static CldkitStatus a_url_value(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_url_value(c, "\"sample\"", o, out, e);
}
static CldkitStatus a_thumb(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_video_thumbnail_url(c, "dog", o, out, e);
}
static CldkitStatus a_api_url(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_api_url(c, "upload", o, out, e);
}
static CldkitStatus a_image_tag(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_image_tag(c, "sample", o, out, e);
}
static CldkitStatus a_video_tag(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_video_tag(c, "dog", o, out, e);
}
static CldkitStatus a_picture_tag(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_picture_tag(c, "sample", o, out, e);
}
static CldkitStatus a_upload_form(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_upload_form(c, "https://example.com/a.jpg", o, out, e);
}
static CldkitStatus a_upload_call_args(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_upload_api_call(c, "destroy", o, "{}", out, e);
}
static CldkitStatus a_upload_call_opts(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_upload_api_call(c, "destroy", "{\"public_id\":\"x\"}", o, out, e);
}
static CldkitStatus a_private(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_private_download_url(c, "\"x\"", "\"jpg\"", o, out, e);
}
static CldkitStatus a_folder(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_download_folder(c, "\"f/\"", o, out, e);
}
static CldkitStatus a_backedup(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_download_backedup_asset(c, "\"a\"", "\"v\"", o, out, e);
}
static CldkitStatus a_zip_dl(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_zip_download_url(c, "\"t\"", o, out, e);
}
static CldkitStatus a_sprite(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_download_generated_sprite(c, "\"t\"", "null", o, out, e);
}
static CldkitStatus a_multi(const CldkitClient *c, const char *o, char **out, char **e) {
    return cldkit_download_multi(c, "\"t\"", "null", o, out, e);
}

static void test_common_errors(void) {
    common_errors("cldkit_url", a_url);
    common_errors("cldkit_url_value", a_url_value);
    common_errors("cldkit_video_thumbnail_url", a_thumb);
    common_errors("cldkit_api_url", a_api_url);
    common_errors("cldkit_auth_token", cldkit_auth_token);
    common_errors("cldkit_image_tag", a_image_tag);
    common_errors("cldkit_video_tag", a_video_tag);
    common_errors("cldkit_picture_tag", a_picture_tag);
    common_errors("cldkit_sign_request", cldkit_sign_request);
    common_errors("cldkit_explain_signature", cldkit_explain_signature);
    common_errors("cldkit_upload_params", cldkit_upload_params);
    common_errors("cldkit_upload_form", a_upload_form);
    common_errors("cldkit_upload_api_call (args)", a_upload_call_args);
    common_errors("cldkit_upload_api_call (options)", a_upload_call_opts);
    common_errors("cldkit_sign_upload_widget", cldkit_sign_upload_widget);
    common_errors("cldkit_private_download_url", a_private);
    common_errors("cldkit_download_archive_url", cldkit_download_archive_url);
    common_errors("cldkit_download_zip_url", cldkit_download_zip_url);
    common_errors("cldkit_download_folder", a_folder);
    common_errors("cldkit_download_backedup_asset", a_backedup);
    common_errors("cldkit_zip_download_url", a_zip_dl);
    common_errors("cldkit_download_generated_sprite", a_sprite);
    common_errors("cldkit_download_multi", a_multi);
}

static const char *W2 =
    "{\"transformation\":[{\"width\":500,\"height\":500,\"crop\":\"fill\",\"gravity\":\"face\"},"
    "{\"overlay\":{\"font_family\":\"Arial\",\"font_size\":40,\"text\":\"Hello World\"},"
    "\"gravity\":\"south_east\",\"x\":10,\"y\":10,\"color\":\"white\"},"
    "{\"effect\":\"sepia:50\"},{\"quality\":\"auto\",\"fetch_format\":\"auto\"}],\"sign_url\":true}";

static void test_urls(void) {
    EXPECT_STR(cldkit_url(client, "sample.jpg", "{\"width\":300,\"height\":200,\"crop\":\"fill\"}", out, error),
               "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg");
    EXPECT_STR(cldkit_url(client, "sample", "{\"dpr\":2.0,\"width\":2}", out, error),
               "https://res.cloudinary.com/demo/image/upload/dpr_2.0,w_2/sample");
    EXPECT_LIKE(cldkit_url(client, "sample.jpg", W2, out, error),
                "https://res.cloudinary.com/demo/image/upload/s--",
                "--/c_fill,g_face,h_500,w_500/co_white,g_south_east,l_text:Arial_40:Hello%20World,x_10,y_10/e_sepia:50/f_auto,q_auto/sample.jpg");
    EXPECT_STR(cldkit_url(client, "", "{}", out, error), "");
    EXPECT_STR(cldkit_url(client, "caf\xc3\xa9", "[]", out, error),
               "https://res.cloudinary.com/demo/image/upload/caf%C3%A9");
    EXPECT_ERR(cldkit_url(client, "sample", "{\"radius\":[1,2,3,4,5]}", out, error), CLDKIT_INVALID_OPTION, "radius");
    EXPECT_ERR(cldkit_url(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "source");
    EXPECT_ERR(cldkit_url(client, BAD_UTF8, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");

    EXPECT_STR(cldkit_url_value(client, "\"sample\"", "{\"width\":1}", out, error),
               "\"https://res.cloudinary.com/demo/image/upload/w_1/sample\"");
    EXPECT_STR(cldkit_url_value(client, "null", "{}", out, error), "null");
    EXPECT_ERR(cldkit_url_value(client, "12", "{}", out, error), CLDKIT_INVALID_OPTION, "source");
    EXPECT_ERR(cldkit_url_value(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "source_json");
    EXPECT_ERR(cldkit_url_value(client, "\"x", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "source_json");

    EXPECT_STR(cldkit_video_thumbnail_url(client, "dog", "{}", out, error),
               "https://res.cloudinary.com/demo/video/upload/dog.jpg");
    EXPECT_ERR(cldkit_video_thumbnail_url(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "public_id");
    EXPECT_ERR(cldkit_video_thumbnail_url(client, "dog", "{\"radius\":[1,2,3,4,5]}", out, error), CLDKIT_INVALID_OPTION, "radius");

    EXPECT_STR(cldkit_api_url(client, "upload", "{\"resource_type\":\"raw\"}", out, error),
               "https://api.cloudinary.com/v1_1/demo/raw/upload");
    EXPECT_ERR(cldkit_api_url(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "action");
    EXPECT_ERR(cldkit_api_url(client, "upload", "{\"cloud_name\":null}", out, error), CLDKIT_CONFIG, "cloud_name");

    EXPECT_LIKE(cldkit_auth_token(client, "{\"key\":\"00112233FF99\",\"duration\":300,\"acl\":\"/image/*\"}", out, error),
                "__cld_token__=exp=1700000300~acl=%2fimage%2f*~hmac=", "");
    EXPECT_ERR(cldkit_auth_token(client, "{\"duration\":300}", out, error), CLDKIT_INVALID_OPTION, NULL);
}

static void test_tags(void) {
    EXPECT_STR(cldkit_image_tag(client, "sample.jpg", "{\"width\":300,\"crop\":\"scale\",\"alt\":\"A\"}", out, error),
               "<img alt=\"A\" src=\"https://res.cloudinary.com/demo/image/upload/c_scale,w_300/sample.jpg\" width=\"300\"/>");
    EXPECT_LIKE(cldkit_video_tag(client, "dog", "{}", out, error), "<video poster=", "</video>");
    EXPECT_LIKE(cldkit_picture_tag(client, "sample", "{\"sources\":[{\"min_width\":100,\"transformation\":{\"width\":100}}]}", out, error),
                "<picture>", "</picture>");
    EXPECT_ERR(cldkit_image_tag(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "public_id");
    EXPECT_ERR(cldkit_video_tag(client, BAD_UTF8, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_picture_tag(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "public_id");
    EXPECT_ERR(cldkit_image_tag(client, "s", "{\"radius\":[1,2,3,4,5]}", out, error), CLDKIT_INVALID_OPTION, "radius");
}

static void test_signatures(void) {
    /* pycloudinary: api_sign_request({"public_id":"sample","timestamp":1315060510,"value":"sample"}, "abcd") */
    EXPECT_STR(cldkit_api_sign_request("{\"public_id\":\"sample\",\"timestamp\":1315060510,\"value\":\"sample\"}",
                                       "abcd", "sha1", 2, out, error),
               "e918a796ec67230979a69dfec53a3b5b5be68604");
    EXPECT_LIKE(cldkit_api_sign_request("{\"a\":1}", "abcd", "sha256", 1, out, error), "", "");
    EXPECT_ERR(cldkit_api_sign_request("{\"a\":1}", "abcd", "md5", 2, out, error), CLDKIT_SIGNATURE, "md5");
    EXPECT_ERR(cldkit_api_sign_request("{\"a\":1}", "", "sha1", 2, out, error), CLDKIT_SIGNATURE, "api_secret");
    EXPECT_ERR(cldkit_api_sign_request(NULL, "abcd", "sha1", 2, out, error), CLDKIT_INVALID_ARGUMENT, "params_json");
    EXPECT_ERR(cldkit_api_sign_request("[]x", "abcd", "sha1", 2, out, error), CLDKIT_INVALID_ARGUMENT, "params_json");
    EXPECT_ERR(cldkit_api_sign_request("{}", NULL, "sha1", 2, out, error), CLDKIT_INVALID_ARGUMENT, "api_secret");
    EXPECT_ERR(cldkit_api_sign_request("{}", "abcd", NULL, 2, out, error), CLDKIT_INVALID_ARGUMENT, "algorithm");
    EXPECT_ERR(cldkit_api_sign_request("{}", BAD_UTF8, "sha1", 2, out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_api_sign_request("{}", "abcd", "sha1", 2, NULL, error), CLDKIT_INVALID_ARGUMENT, "out");

    EXPECT_STR(cldkit_sign_request(client, "{\"public_id\":\"sample\",\"timestamp\":1315060510,\"value\":\"sample\"}", out, error),
               "e918a796ec67230979a69dfec53a3b5b5be68604");
    EXPECT_STR(cldkit_explain_signature(client, "{\"public_id\":\"a&b\",\"timestamp\":1700000000}", out, error),
               "{\"string_to_sign\":\"public_id=a%26b&timestamp=1700000000\",\"algorithm\":\"sha1\","
               "\"signature_version\":2,\"signature\":\"9c904f6cc985268c680b78e4ee0e3838f142ff51\"}");
    {
        CldkitClient *nosecret = NULL;
        CHECK(cldkit_client_new("{\"cloud_name\":\"demo\",\"api_key\":\"k\"}", &nosecret, NULL) == CLDKIT_OK);
        EXPECT_ERR(cldkit_sign_request(nosecret, "{\"a\":1}", out, error), CLDKIT_CONFIG, "api_secret");
        EXPECT_ERR(cldkit_explain_signature(nosecret, "{\"a\":1}", out, error), CLDKIT_CONFIG, "api_secret");
        bool valid = true;
        EXPECT_ERR(cldkit_verify_api_response(nosecret, "\"s\"", "1", "x", &valid, error), CLDKIT_CONFIG, "api_secret");
        CHECK(!valid);
        valid = true;
        EXPECT_ERR(cldkit_verify_notification(nosecret, (const uint8_t *)"{}", 2, "1700000000", "x", false, 0, &valid, error),
                   CLDKIT_CONFIG, "api_secret");
        CHECK(!valid);
        cldkit_client_free(nosecret);
    }

    /* Upload results. */
    bool valid = false;
    char *err = NULL;
    CHECK(cldkit_verify_api_response(client, "\"sample\"", "1234567890", "d67d8bab591ef75a5a612c8812ae72281522dd3b", &valid, &err) == CLDKIT_OK);
    CHECK(valid && err == NULL);
    CHECK(cldkit_verify_api_response(client, "\"sample\"", "\"1234567890\"", "d67d8bab591ef75a5a612c8812ae72281522dd3b", &valid, NULL) == CLDKIT_OK);
    CHECK(valid);
    CHECK(cldkit_verify_api_response(client, "\"sample\"", "1234567891", "d67d8bab591ef75a5a612c8812ae72281522dd3b", &valid, NULL) == CLDKIT_OK);
    CHECK(!valid);
    EXPECT_ERR(cldkit_verify_api_response(NULL, "\"s\"", "1", "x", &valid, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_ERR(cldkit_verify_api_response(client, NULL, "1", "x", &valid, error), CLDKIT_INVALID_ARGUMENT, "public_id_json");
    EXPECT_ERR(cldkit_verify_api_response(client, "\"s\"", "1.", "x", &valid, error), CLDKIT_INVALID_ARGUMENT, "version_json");
    EXPECT_ERR(cldkit_verify_api_response(client, "\"s\"", "1", NULL, &valid, error), CLDKIT_INVALID_ARGUMENT, "signature");
    EXPECT_ERR(cldkit_verify_api_response(client, "\"s\"", "1", "x", NULL, error), CLDKIT_INVALID_ARGUMENT, "out_valid");

    /* Webhooks: body "{}" at timestamp 1700000000 signed with "abcd" (sha1). */
    const char *body = "{}";
    /* sha1("{}" "1700000000" "abcd"), computed by hashlib. */
    const char *good = "93ca69e8bbc79278f74486e8205a38ab1108e48d";
    CHECK(cldkit_verify_notification(client, (const uint8_t *)body, 2, "1700000000", good, false, 0, &valid, &err) == CLDKIT_OK);
    CHECK(err == NULL);
    CHECK(valid);
    CHECK(cldkit_verify_notification(client, (const uint8_t *)body, 2, "\"1700000000\"", good, true, 10, &valid, NULL) == CLDKIT_OK);
    CHECK(valid);
    /* Too old for a 10 second window (the clock is fixed at 1700000000). */
    CHECK(cldkit_verify_notification(client, (const uint8_t *)body, 2, "1699999000", good, true, 10, &valid, NULL) == CLDKIT_OK);
    CHECK(!valid);
    CHECK(cldkit_verify_notification(client, NULL, 0, "1700000000", "00", false, 0, &valid, NULL) == CLDKIT_OK);
    CHECK(!valid);
    EXPECT_ERR(cldkit_verify_notification(client, (const uint8_t *)"\xff", 1, "1700000000", good, false, 0, &valid, error),
               CLDKIT_INVALID_OPTION, "body");
    EXPECT_ERR(cldkit_verify_notification(client, NULL, 2, "1700000000", good, false, 0, &valid, error),
               CLDKIT_INVALID_ARGUMENT, "body");
    EXPECT_ERR(cldkit_verify_notification(NULL, NULL, 0, "1", good, false, 0, &valid, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_ERR(cldkit_verify_notification(client, NULL, 0, NULL, good, false, 0, &valid, error), CLDKIT_INVALID_ARGUMENT, "timestamp_json");
    EXPECT_ERR(cldkit_verify_notification(client, NULL, 0, "\"abc\"", good, false, 0, &valid, error), CLDKIT_INVALID_OPTION, NULL);
    EXPECT_ERR(cldkit_verify_notification(client, NULL, 0, "1", NULL, false, 0, &valid, error), CLDKIT_INVALID_ARGUMENT, "signature");
    EXPECT_ERR(cldkit_verify_notification(client, NULL, 0, "1", good, false, 0, NULL, error), CLDKIT_INVALID_ARGUMENT, "out_valid");
}

static void test_uploads(void) {
    EXPECT_STR(cldkit_upload_params(client, "{\"public_id\":\"x\",\"tags\":[\"a\",\"b\"],\"overwrite\":true}", out, error),
               "{\"public_id\":\"x\",\"overwrite\":\"1\",\"timestamp\":\"1700000000\",\"tags\":\"a,b\"}");
    EXPECT_ERR(cldkit_upload_params(client, "{\"eager\":5}", out, error), CLDKIT_INVALID_OPTION, NULL);

    EXPECT_STR(cldkit_upload_form(client, "https://example.com/a.jpg", "{\"public_id\":\"a\"}", out, error),
               "{\"url\":\"https://api.cloudinary.com/v1_1/demo/image/upload\",\"fields\":["
               "[\"public_id\",\"a\"],[\"timestamp\",\"1700000000\"],"
               "[\"signature\",\"8ee5fb720df66e55374327c53533f7067b189e0e\"],[\"api_key\",\"1234567890\"],"
               "[\"file\",\"https://example.com/a.jpg\"]],\"file\":null,\"authorization\":null}");
    EXPECT_LIKE(cldkit_upload_form(client, "/tmp/local.jpg", "{}", out, error), "{\"url\":",
                "\"file\":{\"path\":\"/tmp/local.jpg\",\"filename\":\"/tmp/local.jpg\"}");
    EXPECT_LIKE(cldkit_upload_form(client, "https://e.com/a.jpg", "{\"oauth_token\":\"tok\"}", out, error), "{\"url\":",
                "\"authorization\":\"Bearer tok\"");
    EXPECT_ERR(cldkit_upload_form(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "file");
    EXPECT_ERR(cldkit_upload_form(client, "x", "{\"eager\":5}", out, error), CLDKIT_INVALID_OPTION, NULL);

    EXPECT_LIKE(cldkit_upload_api_call(client, "add_tag", "{\"tag\":\"t\",\"public_ids\":[\"a\",\"b\"]}", "{}", out, error),
                "{\"url\":\"https://api.cloudinary.com/v1_1/demo/image/tags\"", "[\"public_ids[]\",\"b\"]");
    EXPECT_ERR(cldkit_upload_api_call(client, "frobnicate", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, NULL);
    EXPECT_ERR(cldkit_upload_api_call(client, NULL, "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "method");

    EXPECT_LIKE(cldkit_sign_upload_widget(client, "{\"source\":\"uw\"}", out, error),
                "{\"timestamp\":1700000000,\"signature\":\"", "\"api_key\":\"1234567890\"}");
    EXPECT_ERR(cldkit_sign_upload_widget(client, "{\"timestamp\":\"soon\"}", out, error), CLDKIT_INVALID_OPTION, "timestamp");
}

static void test_downloads(void) {
    const char *api = "https://api.cloudinary.com/v1_1/demo/";
    EXPECT_LIKE(cldkit_private_download_url(client, "\"x\"", "\"jpg\"", "{}", out, error), api, "image/download?");
    EXPECT_LIKE(cldkit_private_download_url(client, "null", "null", "{}", out, error), api, "signature=");
    EXPECT_LIKE(cldkit_download_archive_url(client, "{\"public_ids\":[\"a\"]}", out, error), api, "generate_archive");
    EXPECT_LIKE(cldkit_download_zip_url(client, "{\"tags\":\"t\"}", out, error), api, "target_format=zip");
    EXPECT_LIKE(cldkit_download_folder(client, "\"f/\"", "{}", out, error), api, "prefixes");
    EXPECT_LIKE(cldkit_download_backedup_asset(client, "\"a\"", "\"v\"", "{}", out, error),
                "https://api.cloudinary.com/v1_1/demo/download_backup?", "asset_id=a");
    EXPECT_LIKE(cldkit_zip_download_url(client, "\"t\"", "{}", out, error), api, "download_tag.zip?");
    EXPECT_LIKE(cldkit_download_generated_sprite(client, "\"t\"", "null", "{}", out, error), api, "sprite");
    EXPECT_LIKE(cldkit_download_multi(client, "null", "[\"https://e.com/a.jpg\"]", "{}", out, error), api, "multi");

    EXPECT_ERR(cldkit_private_download_url(client, NULL, "\"jpg\"", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "public_id_json");
    EXPECT_ERR(cldkit_private_download_url(client, "\"x\"", "jpg", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "format_json");
    EXPECT_ERR(cldkit_download_folder(client, NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "folder_path_json");
    EXPECT_ERR(cldkit_download_backedup_asset(client, "\"a\"", NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "version_id_json");
    EXPECT_ERR(cldkit_zip_download_url(client, BAD_UTF8, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_ERR(cldkit_download_generated_sprite(client, "\"t\"", NULL, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "urls_json");
    EXPECT_ERR(cldkit_download_multi(client, NULL, "null", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "tag_json");
    EXPECT_ERR(cldkit_download_generated_sprite(client, "null", "null", "{}", out, error), CLDKIT_INVALID_OPTION, NULL);
    EXPECT_ERR(cldkit_download_multi(client, "null", "null", "{}", out, error), CLDKIT_INVALID_OPTION, NULL);
    EXPECT_ERR(cldkit_download_archive_url(client, "{\"target_format\":[1]}", out, error), CLDKIT_INVALID_OPTION, NULL);
}

/* One handle, many threads. */
static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) {
        char *url = NULL;
        if (cldkit_url(client, "sample.jpg", "{\"width\":300,\"height\":200,\"crop\":\"fill\"}", &url, NULL) != CLDKIT_OK ||
            strcmp(url, "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg") != 0) {
            cldkit_string_free(url);
            return (void *)1;
        }
        cldkit_string_free(url);
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        CHECK(pthread_join(t[i], &r) == 0);
        CHECK(r == NULL);
    }
}

int main(void) {
    CldkitClient *base = NULL;
    if (cldkit_client_new("{\"cloud_name\":\"demo\",\"api_key\":\"1234567890\",\"api_secret\":\"abcd\","
                          "\"secure\":true,\"analytics\":false}", &base, NULL) != CLDKIT_OK ||
        cldkit_client_with_fixed_time(base, 1700000000, &client, NULL) != CLDKIT_OK) {
        fprintf(stderr, "cannot create the test client\n");
        return 1;
    }
    cldkit_client_free(base);

    test_library_info();
    test_clients();
    test_common_errors();
    test_urls();
    test_tags();
    test_signatures();
    test_uploads();
    test_downloads();
    test_threads();

    cldkit_client_free(client);
    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
