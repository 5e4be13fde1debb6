/*
 * C tests of the HTTP functions of libcldkit (uploads, Upload API calls, the Admin
 * API, pages, any catalogue row through cldkit_call, the account client) against the
 * local emulator, with their error paths, a shared handle
 * used by several threads and a fork() whose child makes its own calls.
 *
 *   CLDKIT_TEST_URL=<CLOUDINARY_URL of `cldkit serve`>
 *   CLDKIT_TEST_URL_LIMITED=<CLOUDINARY_URL of `cldkit serve --hourly-budget 2`>
 *   ./test_api <scratch dir>
 * (tests/c/run.sh starts both emulators and runs this under valgrind.)
 */
#include <cldkit.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                         \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
        }                                                                   \
    } while (0)

static const unsigned char PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47,
    0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
static const char PNG_DATA_URI[] =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 0};

static CldkitClient *client;
static const char *scratch;

/* Success with a result containing every `needles` entry (NULL-terminated); frees. */
static void expect_ok(CldkitStatus st, char *out, char *err, const char *const *needles, int line) {
    checks++;
    int ok = st == CLDKIT_OK && err == NULL && out != NULL;
    for (const char *const *n = needles; ok && *n; n++) {
        ok = strstr(out, *n) != NULL;
    }
    if (!ok) {
        failures++;
        fprintf(stderr, "line %d: want success, got %s: out %s, error %s\n", line,
                cldkit_status_name(st), out ? out : "(null)", err ? err : "(null)");
    }
    cldkit_string_free(out);
    cldkit_string_free(err);
}
#define EXPECT_OK(call, ...)                                                  \
    do {                                                                      \
        char *out_ = NULL, *err_ = NULL;                                      \
        char **out = &out_;                                                   \
        char **error = &err_;                                                 \
        const char *const needles_[] = {__VA_ARGS__, NULL};                   \
        CldkitStatus st_ = (call);                                            \
        expect_ok(st_, out_, err_, needles_, __LINE__);                       \
    } while (0)

/* A failure with status `want`, a NULL result and error JSON containing every needle. */
static void expect_fail(CldkitStatus st, CldkitStatus want, char *out, char *err,
                        const char *const *needles, int line) {
    checks++;
    char code[64];
    snprintf(code, sizeof code, "{\"code\":\"%s\",\"status\":%d,", cldkit_status_name(want), (int)want);
    int ok = st == want && out == NULL && err != NULL && strncmp(err, code, strlen(code)) == 0;
    for (const char *const *n = needles; ok && *n; n++) {
        ok = strstr(err, *n) != NULL;
    }
    if (!ok) {
        failures++;
        fprintf(stderr, "line %d: want %s, got %s: error %s\n", line, cldkit_status_name(want),
                cldkit_status_name(st), err ? err : "(null)");
    }
    cldkit_string_free(out);
    cldkit_string_free(err);
}
#define EXPECT_FAIL(call, want, ...)                                          \
    do {                                                                      \
        char *out_ = NULL, *err_ = NULL;                                      \
        char **out = &out_;                                                   \
        char **error = &err_;                                                 \
        const char *const needles_[] = {__VA_ARGS__, NULL};                   \
        CldkitStatus st_ = (call);                                            \
        (void)out;                                                            \
        expect_fail(st_, want, out_, err_, needles_, __LINE__);               \
    } while (0)

/* ---- progress ---------------------------------------------------------------- */

typedef struct {
    int calls;
    int other_thread;
    int went_back;
    uint64_t done;
    uint64_t total;
    pthread_t caller;
} progress_log;

static int on_progress(uint64_t done, uint64_t total, void *user) {
    progress_log *p = user;
    if (!pthread_equal(pthread_self(), p->caller)) p->other_thread++;
    if (done < p->done) p->went_back++;
    p->calls++;
    p->done = done;
    p->total = total;
    return 0;
}

static progress_log new_log(void) {
    progress_log p;
    memset(&p, 0, sizeof p);
    p.caller = pthread_self();
    return p;
}

static char *write_file(const char *name, const unsigned char *data, size_t len) {
    size_t n = strlen(scratch) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", scratch, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
    return path;
}

/* ---- uploads ---------------------------------------------------------------- */

static void test_uploads(void) {
    char *png = write_file("dot.png", PNG, sizeof PNG);
    progress_log p = new_log();

    /* From a path, with progress on the calling thread. */
    EXPECT_OK(cldkit_upload(client, png, "{\"public_id\":\"c/path\",\"tags\":[\"c_test\"]}", on_progress, &p, out, error),
              "\"public_id\":\"c/path\"", "\"width\":1", "\"format\":\"png\"", "\"request_id\":");
    CHECK(p.calls >= 1 && p.other_thread == 0);
    CHECK(p.done == sizeof PNG && p.total == sizeof PNG);
    /* Without a callback. */
    EXPECT_OK(cldkit_upload(client, png, "{\"public_id\":\"c/path2\",\"tags\":\"c_test\"}", NULL, NULL, out, error),
              "\"public_id\":\"c/path2\"");

    /* From memory, with and without a file name. */
    p = new_log();
    EXPECT_OK(cldkit_upload_bytes(client, PNG, sizeof PNG, "dot.png", "{\"public_id\":\"c/bytes\",\"tags\":[\"c_test\"]}",
                                  on_progress, &p, out, error),
              "\"public_id\":\"c/bytes\"", "\"bytes\":70", "\"original_filename\":\"dot\"");
    CHECK(p.calls >= 1 && p.other_thread == 0 && p.done == sizeof PNG && p.total == sizeof PNG);
    EXPECT_OK(cldkit_upload_bytes(client, PNG, sizeof PNG, NULL, "{\"use_filename\":true,\"tags\":\"c_test\"}", NULL, NULL, out, error),
              "\"width\":1");
    EXPECT_OK(cldkit_upload_bytes(client, (const uint8_t *)"", 0, "empty.txt",
                                  "{\"resource_type\":\"raw\",\"public_id\":\"c/empty.txt\"}", NULL, NULL, out, error),
              "\"bytes\":0");

    /* A data URI is sent as text for the server to decode. */
    EXPECT_OK(cldkit_upload(client, PNG_DATA_URI, "{\"public_id\":\"c/datauri\",\"tags\":\"c_test\"}", NULL, NULL, out, error),
              "\"public_id\":\"c/datauri\"", "\"width\":1");

    /* Chunked: 300 000 bytes in chunks of 100 000 (small chunks allowed for tests),
     * from memory and from a path. */
    size_t big_len = 300000;
    unsigned char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++) big[i] = (unsigned char)(i * 7 + i / 251);
    const char *chunked =
        "{\"resource_type\":\"raw\",\"public_id\":\"c/big%s.bin\",\"chunk_size\":100000,\"allow_small_chunks\":true}";
    char opts[256];
    snprintf(opts, sizeof opts, chunked, "1");
    p = new_log();
    EXPECT_OK(cldkit_upload_bytes(client, big, big_len, "big.bin", opts, on_progress, &p, out, error),
              "\"public_id\":\"c/big1.bin\"", "\"bytes\":300000");
    CHECK(p.other_thread == 0 && p.done == big_len);
    char *big_path = write_file("big.bin", big, big_len);
    snprintf(opts, sizeof opts, chunked, "2");
    p = new_log();
    EXPECT_OK(cldkit_upload(client, big_path, opts, on_progress, &p, out, error),
              "\"public_id\":\"c/big2.bin\"", "\"bytes\":300000");
    CHECK(p.calls >= 3 && p.other_thread == 0 && p.done == big_len && p.total == big_len);
    free(big);
    free(big_path);

    /* Errors: a missing file, bad options, bad arguments. */
    EXPECT_FAIL(cldkit_upload(client, "/nonexistent/x.png", "{}", NULL, NULL, out, error), CLDKIT_IO,
                "x.png", "\"http_status\":null");
    EXPECT_FAIL(cldkit_upload(client, png, "{\"chunk_size\":\"huge\"}", NULL, NULL, out, error),
                CLDKIT_INVALID_OPTION, "chunk_size");
    EXPECT_FAIL(cldkit_upload(client, png, "{\"max_retries\":-1}", NULL, NULL, out, error),
                CLDKIT_INVALID_OPTION, "max_retries");
    EXPECT_FAIL(cldkit_upload(NULL, png, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "`client` is NULL");
    EXPECT_FAIL(cldkit_upload(client, NULL, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "`file` is NULL");
    EXPECT_FAIL(cldkit_upload(client, BAD_UTF8, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_FAIL(cldkit_upload(client, png, "{", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "not valid JSON");
    EXPECT_FAIL(cldkit_upload(client, png, "[1]", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "JSON object");
    EXPECT_FAIL(cldkit_upload(client, png, "{}", NULL, NULL, NULL, error), CLDKIT_INVALID_ARGUMENT, "`out` is NULL");
    EXPECT_FAIL(cldkit_upload_bytes(client, NULL, 3, NULL, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT,
                "`data` is NULL");
    EXPECT_FAIL(cldkit_upload_bytes(client, PNG, 3, BAD_UTF8, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT,
                "filename");
    /* The upload API's own refusal (a 400 from the server), with progress. */
    p = new_log();
    EXPECT_FAIL(cldkit_upload_bytes(client, (const uint8_t *)"not an image", 12, "fake.png", "{\"max_retries\":0}",
                                    on_progress, &p, out, error),
                CLDKIT_BAD_REQUEST, "\"http_status\":400");
    CHECK(p.other_thread == 0);
    /* error may be NULL. */
    char *o = NULL;
    CHECK(cldkit_upload(client, NULL, "{}", NULL, NULL, &o, NULL) == CLDKIT_INVALID_ARGUMENT && o == NULL);
    free(png);
}

/* ---- Upload API calls --------------------------------------------------------- */

static void test_upload_api(void) {
    EXPECT_OK(cldkit_call_upload_api(client, "explicit", "{\"public_id\":\"c/path\"}",
                                     "{\"type\":\"upload\",\"tags\":[\"c_explicit\"]}", out, error),
              "\"public_id\":\"c/path\"", "\"c_explicit\"");
    EXPECT_OK(cldkit_call_upload_api(client, "rename", "{\"from_public_id\":\"c/path2\",\"to_public_id\":\"c/renamed\"}",
                                     "{}", out, error),
              "\"public_id\":\"c/renamed\"");
    EXPECT_OK(cldkit_call_upload_api(client, "add_tag", "{\"tag\":\"c_added\",\"public_ids\":[\"c/renamed\",\"c/bytes\"]}",
                                     "{}", out, error),
              "\"public_ids\":[\"c/renamed\",\"c/bytes\"]");
    EXPECT_OK(cldkit_call_upload_api(client, "destroy", "{\"public_id\":\"c/renamed\"}", "null", out, error),
              "\"result\":\"ok\"");
    EXPECT_OK(cldkit_call_upload_api(client, "destroy", "{\"public_id\":\"c/renamed\"}", "[]", out, error),
              "\"result\":\"not found\"");
    EXPECT_FAIL(cldkit_call_upload_api(client, "rename", "{\"from_public_id\":\"c/none\",\"to_public_id\":\"c/x\"}",
                                       "{}", out, error),
                CLDKIT_NOT_FOUND, "\"http_status\":404", "\"request_id\":\"");
    EXPECT_FAIL(cldkit_call_upload_api(client, "frobnicate", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, "frobnicate");
    EXPECT_FAIL(cldkit_call_upload_api(client, NULL, "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "method");
    EXPECT_FAIL(cldkit_call_upload_api(client, "destroy", "3", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "args_json");
    EXPECT_FAIL(cldkit_call_upload_api(client, "destroy", "{}", NULL, out, error), CLDKIT_INVALID_ARGUMENT, "options_json");
    EXPECT_FAIL(cldkit_call_upload_api(NULL, "destroy", "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "client");
}

/* ---- Admin API ---------------------------------------------------------------- */

static void test_admin(void) {
    EXPECT_OK(cldkit_admin(client, "ping", "{}", "{}", out, error), "\"status\":\"ok\"", "\"rate_limit_remaining\":");
    EXPECT_OK(cldkit_admin(client, "usage", "null", "null", out, error), "{");
    EXPECT_OK(cldkit_admin(client, "resource", "{\"public_id\":\"c/bytes\"}", "{}", out, error),
              "\"public_id\":\"c/bytes\"", "\"c_added\"");
    EXPECT_OK(cldkit_admin(client, "update", "{\"public_id\":\"c/bytes\"}", "{\"tags\":[\"c_updated\"]}", out, error),
              "\"c_updated\"");
    EXPECT_OK(cldkit_admin(client, "resources_by_tag", "{\"tag\":\"c_test\"}", "{\"max_results\":10}", out, error),
              "\"resources\":[");
    EXPECT_OK(cldkit_admin(client, "tags", "{}", "{}", out, error), "\"c_test\"");
    EXPECT_OK(cldkit_admin(client, "root_folders", "{}", "{}", out, error), "\"folders\":[");
    EXPECT_OK(cldkit_admin(client, "search", "{\"query\":{\"expression\":\"tags=c_test\",\"max_results\":2}}", "{}", out, error),
              "\"total_count\":");

    /* Pagination by hand: one resource per page. */
    int pages = 0;
    char cursor[512] = "";
    for (;;) {
        char opts[700], *out = NULL, *err = NULL;
        if (*cursor) {
            snprintf(opts, sizeof opts, "{\"max_results\":1,\"next_cursor\":\"%s\"}", cursor);
        } else {
            snprintf(opts, sizeof opts, "{\"max_results\":1}");
        }
        CldkitStatus st = cldkit_admin(client, "resources_by_tag", "{\"tag\":\"c_test\"}", opts, &out, &err);
        CHECK(st == CLDKIT_OK);
        if (st != CLDKIT_OK) {
            cldkit_string_free(err);
            break;
        }
        pages++;
        const char *c = strstr(out, "\"next_cursor\":\"");
        *cursor = 0;
        if (c) {
            c += strlen("\"next_cursor\":\"");
            size_t n = strcspn(c, "\"");
            if (n < sizeof cursor) {
                memcpy(cursor, c, n);
                cursor[n] = 0;
            }
        }
        cldkit_string_free(out);
        if (!*cursor || pages > 20) break;
    }
    CHECK(pages >= 2);

    /* The same through cldkit_admin_pages. */
    CldkitPages *it = NULL;
    char *err = NULL;
    CHECK(cldkit_admin_pages(client, "resources_by_tag", "{\"tag\":\"c_test\"}", "{\"max_results\":1}", &it, &err) == CLDKIT_OK);
    CHECK(it != NULL && err == NULL);
    int walked = 0;
    for (;;) {
        char *page = NULL;
        CldkitStatus st = cldkit_pages_next(it, &page, &err);
        CHECK(st == CLDKIT_OK && err == NULL);
        if (st != CLDKIT_OK || page == NULL) break;
        CHECK(strstr(page, "\"resources\":[{") != NULL);
        cldkit_string_free(page);
        walked++;
    }
    CHECK(walked == pages);
    {
        char *page = NULL;
        CHECK(cldkit_pages_next(it, &page, NULL) == CLDKIT_OK && page == NULL);
    }
    cldkit_pages_free(it);
    cldkit_pages_free(NULL);
    /* A failing page ends the pages. */
    it = NULL;
    CHECK(cldkit_admin_pages(client, "subfolders", "{\"path\":\"no/such/folder\"}", "{}", &it, NULL) == CLDKIT_OK);
    EXPECT_FAIL(cldkit_pages_next(it, out, error), CLDKIT_NOT_FOUND, "\"http_status\":404");
    {
        char *page = NULL;
        CHECK(cldkit_pages_next(it, &page, NULL) == CLDKIT_OK && page == NULL);
    }
    cldkit_pages_free(it);

    /* Error mapping. */
    EXPECT_FAIL(cldkit_admin(client, "resource", "{\"public_id\":\"c/none\"}", "{}", out, error), CLDKIT_NOT_FOUND,
                "\"http_status\":404", "\"request_id\":\"", "c/none");
    EXPECT_FAIL(cldkit_admin(client, "resource", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, "public_id");
    EXPECT_FAIL(cldkit_admin(client, "frobnicate", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, NULL);
    EXPECT_FAIL(cldkit_admin(client, NULL, "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "name");
    EXPECT_FAIL(cldkit_admin(client, "ping", BAD_UTF8, "{}", out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_FAIL(cldkit_admin(client, "ping", "{}", "{\"timeout\":\"soon\"}", out, error), CLDKIT_INVALID_OPTION, "timeout");
    EXPECT_FAIL(cldkit_admin(client, "ping", "{}", "{}", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    EXPECT_FAIL(cldkit_admin_pages(NULL, "tags", "{}", "{}", (CldkitPages **)out, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_FAIL(cldkit_admin_pages(client, "tags", "{", "{}", (CldkitPages **)out, error), CLDKIT_INVALID_ARGUMENT, "args_json");
    EXPECT_FAIL(cldkit_admin_pages(client, "tags", "{}", "{}", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    EXPECT_FAIL(cldkit_pages_next(NULL, out, error), CLDKIT_INVALID_ARGUMENT, "pages");
}

/* A client with the wrong secret: 401, and neither secret appears in the error. */
static void test_credentials(const char *url) {
    /* cloudinary://key:SECRET@cloud?... */
    const char *colon = strchr(url + strlen("cloudinary://"), ':');
    const char *at = colon ? strchr(colon, '@') : NULL;
    CHECK(colon && at);
    if (!colon || !at) return;
    char secret[128] = "";
    size_t n = (size_t)(at - colon - 1);
    if (n >= sizeof secret) n = sizeof secret - 1;
    memcpy(secret, colon + 1, n);
    secret[n] = 0;
    char bad[1024];
    snprintf(bad, sizeof bad, "%.*sWrongSecret0987%s", (int)(colon + 1 - url), url, at);
    CldkitClient *wrong = NULL;
    CHECK(cldkit_client_from_url(bad, &wrong, NULL) == CLDKIT_OK);
    const char *calls[] = {"admin", "upload"};
    for (int i = 0; i < 2; i++) {
        char *out = NULL, *err = NULL;
        CldkitStatus st = i == 0 ? cldkit_admin(wrong, "ping", "{}", "{}", &out, &err)
                                 : cldkit_upload_bytes(wrong, PNG, sizeof PNG, "x.png", "{}", NULL, NULL, &out, &err);
        CHECK(st == CLDKIT_AUTHORIZATION);
        CHECK(out == NULL && err != NULL);
        if (err) {
            CHECK(strstr(err, "\"http_status\":401") != NULL);
            if (strstr(err, "WrongSecret0987") || strstr(err, secret)) {
                failures++;
                fprintf(stderr, "%s: a secret appears in the error: %s\n", calls[i], err);
            }
        }
        cldkit_string_free(out);
        cldkit_string_free(err);
    }
    cldkit_client_free(wrong);
}

/* Errors of a client configured with secrets (API secret, OAuth token, proxy and
 * account URL credentials) never show them. Everything goes to 127.0.0.1:9, which
 * refuses connections. */
static void test_secrets_in_errors(void) {
    static const char *const secrets[] = {"Sup3rS3cr3tApi", "OauthT0kenXyz", "pa55word", "acctsecret"};
    static const char config[] =
        "{\"cloud_name\":\"demo\",\"api_key\":\"1234\",\"api_secret\":\"Sup3rS3cr3tApi\","
        "\"oauth_token\":\"OauthT0kenXyz\",\"api_proxy\":\"http://user:pa55word@127.0.0.1:9/\","
        "\"account_url\":\"account://key:acctsecret@acct\",\"upload_prefix\":\"http://127.0.0.1:9\"%s}";
    char json[512];
    CldkitClient *c = NULL, *bad = NULL;
    snprintf(json, sizeof json, config, "");
    CHECK(cldkit_client_new(json, &c, NULL) == CLDKIT_OK);
    char *errors[9] = {0};
    char *out = NULL;
    CldkitUpload *u = NULL;
    CHECK(cldkit_admin(c, "ping", "{}", "{\"max_retries\":0}", &out, &errors[0]) == CLDKIT_NETWORK);
    CHECK(cldkit_upload_bytes(c, PNG, sizeof PNG, "x.png", "{\"max_retries\":0}", NULL, NULL, &out, &errors[1]) ==
          CLDKIT_NETWORK);
    CHECK(cldkit_call_upload_api(c, "explicit", "{\"public_id\":\"x\"}", "{\"max_retries\":0}", &out, &errors[2]) ==
          CLDKIT_NETWORK);
    CHECK(cldkit_upload_bytes_start(c, PNG, sizeof PNG, "x.png", "{\"max_retries\":0}", &u, NULL) == CLDKIT_OK);
    CHECK(cldkit_upload_finish(u, &out, &errors[3]) == CLDKIT_NETWORK);
    cldkit_upload_free(u);
    snprintf(json, sizeof json, config, ",\"profile\":\"bogus\"");
    CHECK(cldkit_client_new(json, &bad, &errors[4]) == CLDKIT_CONFIG);
    snprintf(json, sizeof json, config, ",\"api_proxy\":\"http://user:pa55word@[bad\"");
    CHECK(cldkit_client_new(json, &bad, NULL) == CLDKIT_OK);
    CHECK(cldkit_admin(bad, "ping", "{}", "{}", &out, &errors[5]) == CLDKIT_INVALID_OPTION);
    cldkit_client_free(bad);
    CHECK(cldkit_url(c, "s", "{\"sign_url\":true,\"api_secret\":[\"Sup3rS3cr3tApi\"]}", &out, &errors[6]) ==
          CLDKIT_INVALID_OPTION);
    CHECK(cldkit_client_from_url("cloudinary://1234:Sup3rS3cr3tApi@demo?oauth_token=OauthT0kenXyz&profile=x\xff", &bad,
                                 &errors[7]) == CLDKIT_INVALID_ARGUMENT);
    /* Credentials in the API's base URL. */
    CHECK(cldkit_client_new("{\"cloud_name\":\"demo\",\"api_key\":\"1\",\"api_secret\":\"Sup3rS3cr3tApi\","
                            "\"upload_prefix\":\"http://user:pa55word@127.0.0.1:9\"}",
                            &bad, NULL) == CLDKIT_OK);
    CHECK(cldkit_admin(bad, "ping", "{}", "{\"max_retries\":0}", &out, &errors[8]) == CLDKIT_NETWORK);
    cldkit_client_free(bad);
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        CHECK(errors[i] != NULL);
        for (size_t j = 0; errors[i] && j < sizeof secrets / sizeof *secrets; j++) {
            if (strstr(errors[i], secrets[j])) {
                failures++;
                fprintf(stderr, "error %zu shows a secret: %s\n", i, errors[i]);
            }
        }
        cldkit_string_free(errors[i]);
    }
    cldkit_client_free(c);
}

/* The emulator with --hourly-budget 2: the third Admin call is rate limited. */
static void test_rate_limit(const char *url) {
    CldkitClient *c = NULL;
    CHECK(cldkit_client_from_url(url, &c, NULL) == CLDKIT_OK);
    EXPECT_OK(cldkit_admin(c, "ping", "{}", "{\"max_retries\":0}", out, error), "\"rate_limit_allowed\":2");
    EXPECT_OK(cldkit_admin(c, "ping", "{}", "{\"max_retries\":0}", out, error), "\"rate_limit_remaining\":0");
    char *out = NULL, *err = NULL;
    CldkitStatus st = cldkit_admin(c, "ping", "{}", "{\"max_retries\":0}", &out, &err);
    CHECK(st == CLDKIT_RATE_LIMITED);
    CHECK(err && strstr(err, "\"http_status\":420") && strstr(err, "\"reset_at\":1"));
    CHECK(strcmp(cldkit_status_name(st), "rate_limited") == 0);
    cldkit_string_free(out);
    cldkit_string_free(err);
    cldkit_client_free(c);
}

/* ---- emulator faults ---------------------------------------------------------- */

static void base64(const char *in, char *out) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned char)in[i + 2];
        out[o++] = abc[(v >> 18) & 63];
        out[o++] = abc[(v >> 12) & 63];
        out[o++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? abc[v & 63] : '=';
    }
    out[o] = 0;
}

/* Sets the emulator's fault rules (a JSON array; "[]" clears them): POST
 * /_emulator/faults on 127.0.0.1 with the account's key and secret (Basic auth), as
 * a CLOUDINARY_URL `cloudinary://key:secret@cloud?upload_prefix=http://127.0.0.1:PORT`
 * names them. Returns the HTTP status, or -1. */
static int set_faults(const char *url, const char *rules) {
    const char *creds = url + strlen("cloudinary://");
    const char *at = strchr(creds, '@');
    const char *prefix = strstr(url, "upload_prefix=http://127.0.0.1:");
    if (!at || !prefix || (size_t)(at - creds) > 200) return -1;
    char userinfo[256], auth[400];
    snprintf(userinfo, sizeof userinfo, "%.*s", (int)(at - creds), creds);
    base64(userinfo, auth);
    int port = atoi(prefix + strlen("upload_prefix=http://127.0.0.1:"));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        char req[1024];
        int n = snprintf(req, sizeof req,
                         "POST /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                         "Authorization: Basic %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                         port, auth, strlen(rules), rules);
        char resp[64] = "";
        if (n > 0 && (size_t)n < sizeof req && write(fd, req, (size_t)n) == n &&
            read(fd, resp, sizeof resp - 1) > 12 && strncmp(resp, "HTTP/1.1 ", 9) == 0) {
            status = atoi(resp + 9);
        }
    }
    close(fd);
    return status;
}

static void pause_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* ---- stopping an upload, releasing the client during one ---------------------- */

typedef struct {
    int calls;
    int stop_at;            /* return non-zero on this call (0: never) */
    CldkitClient *release;  /* released on the first call */
} stopper;

static int stop_or_release(uint64_t done, uint64_t total, void *user) {
    stopper *s = user;
    (void)done;
    (void)total;
    s->calls++;
    if (s->release) {
        cldkit_client_free(s->release);
        s->release = NULL;
    }
    return s->stop_at > 0 && s->calls >= s->stop_at;
}

/* Whether `public_id` (raw) exists, after the time the rest of an upload would take. */
static int raw_exists_later(const char *public_id) {
    pause_ms(1200);
    char args[200], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "{\"public_id\":\"%s\"}", public_id);
    CldkitStatus st = cldkit_admin(client, "resource", args, "{\"resource_type\":\"raw\"}", &out, &err);
    CHECK(st == CLDKIT_OK || st == CLDKIT_NOT_FOUND);
    cldkit_string_free(out);
    cldkit_string_free(err);
    return st == CLDKIT_OK;
}

/* Every chunk answers after 300 ms, so callbacks run while the upload is under way. */
static void test_stop(const char *url) {
    CHECK(set_faults(url, "[{\"method\":\"POST\",\"path\":\"/raw/upload\",\"action\":\"delay\",\"delay_ms\":300}]") ==
          200);
    size_t len = 300000;
    unsigned char *big = calloc(len, 1);
    const char *fmt = "{\"resource_type\":\"raw\",\"public_id\":\"%s\",\"chunk_size\":100000,\"allow_small_chunks\":true}";
    char opts[256];

    /* The callback stops the upload: CLDKIT_IO, no call after, nothing stored. */
    stopper s = {0, 1, NULL};
    snprintf(opts, sizeof opts, fmt, "c/stopped.bin");
    EXPECT_FAIL(cldkit_upload_bytes(client, big, len, "s.bin", opts, stop_or_release, &s, out, error), CLDKIT_IO,
                "stopped");
    CHECK(s.calls == 1);
    CHECK(!raw_exists_later("c/stopped.bin"));

    /* The callback releases the client the upload was started with: the upload goes
     * on with its own copy (valgrind: no read of the freed handle). */
    CldkitClient *own = NULL;
    CHECK(cldkit_client_from_url(url, &own, NULL) == CLDKIT_OK);
    stopper r = {0, 0, own};
    snprintf(opts, sizeof opts, fmt, "c/released.bin");
    EXPECT_OK(cldkit_upload_bytes(own, big, len, "r.bin", opts, stop_or_release, &r, out, error),
              "\"public_id\":\"c/released.bin\"", "\"bytes\":300000");
    CHECK(r.calls >= 2 && r.release == NULL);

    /* The handle form: start, wait for progress, finish, free. */
    CldkitUpload *u = NULL;
    char *err = NULL;
    CldkitUploadEvent ev = CLDKIT_UPLOAD_RUNNING;
    uint64_t done = 0, total = 0, last = 0;
    int progress = 0, backwards = 0, waits = 0;
    snprintf(opts, sizeof opts, fmt, "c/handle.bin");
    CHECK(cldkit_upload_bytes_start(client, big, len, "h.bin", opts, &u, &err) == CLDKIT_OK && u && !err);
    do {
        CHECK(cldkit_upload_wait(u, 50, &ev, &done, &total) == CLDKIT_OK);
        if (ev == CLDKIT_UPLOAD_PROGRESS) {
            progress++;
            backwards += done < last;
            last = done;
            CHECK(total == len);
        }
    } while (ev != CLDKIT_UPLOAD_DONE && ++waits < 1000);
    CHECK(ev == CLDKIT_UPLOAD_DONE && progress >= 2 && last == len && backwards == 0);
    EXPECT_OK(cldkit_upload_finish(u, out, error), "\"public_id\":\"c/handle.bin\"", "\"bytes\":300000");
    EXPECT_FAIL(cldkit_upload_finish(u, out, error), CLDKIT_INVALID_ARGUMENT, "already taken");
    cldkit_upload_free(u);

    /* Stopped through the handle after the first progress: no progress after it. */
    u = NULL;
    snprintf(opts, sizeof opts, fmt, "c/handle_stopped.bin");
    CHECK(cldkit_upload_bytes_start(client, big, len, "hs.bin", opts, &u, NULL) == CLDKIT_OK);
    waits = progress = 0;
    do {
        CHECK(cldkit_upload_wait(u, 50, &ev, &done, &total) == CLDKIT_OK);
    } while (ev == CLDKIT_UPLOAD_RUNNING && ++waits < 1000);
    CHECK(ev == CLDKIT_UPLOAD_PROGRESS);
    CHECK(cldkit_upload_stop(u) == CLDKIT_OK);
    waits = 0;
    do {
        CHECK(cldkit_upload_wait(u, 50, &ev, &done, &total) == CLDKIT_OK);
        progress += ev == CLDKIT_UPLOAD_PROGRESS;
    } while (ev != CLDKIT_UPLOAD_DONE && ++waits < 1000);
    CHECK(ev == CLDKIT_UPLOAD_DONE && progress == 0);
    EXPECT_FAIL(cldkit_upload_finish(u, out, error), CLDKIT_IO, "stopped");
    cldkit_upload_free(u);
    CHECK(!raw_exists_later("c/handle_stopped.bin"));

    /* Released while it runs (the client too, at once): the free stops it and
     * returns once its thread has ended. */
    CldkitClient *gone = NULL;
    CHECK(cldkit_client_from_url(url, &gone, NULL) == CLDKIT_OK);
    u = NULL;
    snprintf(opts, sizeof opts, fmt, "c/freed.bin");
    CHECK(cldkit_upload_bytes_start(gone, big, len, "f.bin", opts, &u, NULL) == CLDKIT_OK);
    cldkit_client_free(gone);
    pause_ms(100);
    cldkit_upload_free(u);
    CHECK(!raw_exists_later("c/freed.bin"));
    cldkit_upload_free(NULL);

    /* Bad arguments. */
    EXPECT_FAIL(cldkit_upload_start(NULL, "x", "{}", (CldkitUpload **)out, error), CLDKIT_INVALID_ARGUMENT, "client");
    EXPECT_FAIL(cldkit_upload_start(client, "x", "{", (CldkitUpload **)out, error), CLDKIT_INVALID_ARGUMENT, "JSON");
    EXPECT_FAIL(cldkit_upload_start(client, "x", "{}", NULL, error), CLDKIT_INVALID_ARGUMENT, "out");
    EXPECT_FAIL(cldkit_upload_bytes_start(client, NULL, 3, NULL, "{}", (CldkitUpload **)out, error),
                CLDKIT_INVALID_ARGUMENT, "data");
    EXPECT_FAIL(cldkit_upload_finish(NULL, out, error), CLDKIT_INVALID_ARGUMENT, "upload");
    CHECK(cldkit_upload_wait(NULL, 0, &ev, &done, &total) == CLDKIT_INVALID_ARGUMENT);
    CHECK(cldkit_upload_stop(NULL) == CLDKIT_INVALID_ARGUMENT);
    /* A start that fails later (no such file) reports at finish. */
    u = NULL;
    CHECK(cldkit_upload_start(client, "/nonexistent/x.png", "{}", &u, NULL) == CLDKIT_OK);
    CHECK(cldkit_upload_wait(u, 0, NULL, &done, &total) == CLDKIT_INVALID_ARGUMENT);
    EXPECT_FAIL(cldkit_upload_finish(u, out, error), CLDKIT_IO, "x.png");
    cldkit_upload_free(u);

    free(big);
    CHECK(set_faults(url, "[]") == 200);
}

/* ---- threads and fork -------------------------------------------------------- */

static void *pinger(void *arg) {
    long bad = 0;
    for (int i = 0; i < 5; i++) {
        char *out = NULL, *err = NULL;
        if (cldkit_admin(client, "ping", "{}", "{}", &out, &err) != CLDKIT_OK || !strstr(out, "\"ok\"")) bad++;
        cldkit_string_free(out);
        cldkit_string_free(err);
        progress_log p = new_log();
        if (cldkit_upload_bytes(client, PNG, sizeof PNG, "t.png", "{\"tags\":\"c_thread\"}", on_progress, &p, &out, &err) !=
                CLDKIT_OK ||
            p.other_thread != 0 || p.done != sizeof PNG)
            bad++;
        cldkit_string_free(out);
        cldkit_string_free(err);
    }
    (void)arg;
    return (void *)bad;
}

static void test_threads(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, pinger, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        CHECK(pthread_join(t[i], &r) == 0);
        CHECK(r == NULL);
    }
}

/* The parent has used the client (its runtime and connections exist); a forked
 * child makes calls with the same handle, as a PHP-FPM worker does. The child reports
 * through a pipe: under valgrind its exit code is 99 when it has leaks, and it has
 * some by design (the runtime inherited from the parent is leaked, never dropped,
 * since its threads do not exist in the child). run.sh checks the child's valgrind
 * log for memory errors other than leaks. */
static void test_fork(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int bad = 0;
        char *out = NULL, *err = NULL;
        if (cldkit_admin(client, "ping", "{}", "{}", &out, &err) != CLDKIT_OK) bad |= 1;
        cldkit_string_free(out);
        cldkit_string_free(err);
        out = err = NULL;
        progress_log p = new_log();
        if (cldkit_upload_bytes(client, PNG, sizeof PNG, "f.png", "{\"public_id\":\"c/forked\"}", on_progress, &p, &out,
                                &err) != CLDKIT_OK ||
            !strstr(out, "\"c/forked\"") || p.done != sizeof PNG || p.other_thread)
            bad |= 2;
        if (bad) fprintf(stderr, "child: %d %s\n", bad, err ? err : "");
        cldkit_string_free(out);
        cldkit_string_free(err);
        char verdict = bad ? 'F' : 'K';
        if (write(fds[1], &verdict, 1) != 1) bad |= 4;
        _exit(bad);
    }
    close(fds[1]);
    char verdict = 0;
    CHECK(read(fds[0], &verdict, 1) == 1);
    CHECK(verdict == 'K');
    close(fds[0]);
    int status = -1;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 99));
    /* The parent still works, and sees the child's upload. */
    EXPECT_OK(cldkit_admin(client, "resource", "{\"public_id\":\"c/forked\"}", "{}", out, error), "\"c/forked\"");
}

/* ---- any row by name: cldkit_call, the account client ------------------------ */

/* The CLOUDINARY_ACCOUNT_URL of the emulator behind `url`: the same key and secret,
 * the emulator's account id and its upload_prefix (tests/calls/README.md). */
static int account_url_of(const char *url, char *buf, size_t size) {
    const char *creds = strstr(url, "://");
    const char *at = strchr(url, '@');
    const char *prefix = strstr(url, "upload_prefix=");
    if (!creds || !at || !prefix) return 0;
    creds += 3;
    prefix += strlen("upload_prefix=");
    int n = snprintf(buf, size, "account://%.*s@emulator-account?upload_prefix=%.*s", (int)(at - creds), creds,
                     (int)strcspn(prefix, "&"), prefix);
    return n > 0 && (size_t)n < size;
}

static void test_calls(const char *url) {
    /* Local rows answer JSON text without a request. */
    EXPECT_OK(cldkit_call(client, "url", "{\"source\":\"sample.jpg\"}", "{\"width\":10}", out, error),
              "\"http", "/w_10/sample.jpg");
    EXPECT_OK(cldkit_call(client, "verify_api_response",
                          "{\"public_id\":\"a\",\"version\":1,\"signature\":\"nope\"}", "null", out, error),
              "false");
    /* Network rows: the Upload API (a data URI), the Admin API, Search. */
    EXPECT_OK(cldkit_call(client, "upload", "{\"file\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"}",
                          "{\"public_id\":\"c/call\",\"tags\":[\"c_call\"]}", out, error),
              "\"public_id\":\"c/call\"", "\"request_id\":");
    EXPECT_OK(cldkit_call(client, "add_tag", "{\"tag\":\"c_call2\",\"public_ids\":[\"c/call\"]}", "{}", out, error),
              "\"public_ids\":[\"c/call\"]");
    EXPECT_OK(cldkit_call(client, "resources_by_tag", "{\"tag\":\"c_call2\"}", "[]", out, error),
              "\"public_id\":\"c/call\"", "\"rate_limit_remaining\":");
    EXPECT_OK(cldkit_call(client, "create_folder", "{\"path\":\"c_calls/sub\"}", "{}", out, error),
              "\"path\":\"c_calls/sub\"");
    EXPECT_OK(cldkit_call(client, "subfolders", "{\"of_folder_path\":\"c_calls\"}", "{}", out, error),
              "\"path\":\"c_calls/sub\"");
    EXPECT_OK(cldkit_call(client, "search", "{\"expression\":\"tags=c_call\"}", "{\"max_results\":5}", out, error),
              "\"total_count\":1");
    EXPECT_FAIL(cldkit_call(client, "resource", "{\"public_id\":\"c/none\"}", "{}", out, error), CLDKIT_NOT_FOUND,
                "\"http_status\":404", "\"request_id\":\"");
    EXPECT_FAIL(cldkit_call(client, "resource", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, "public_id");
    EXPECT_FAIL(cldkit_call(client, "frobnicate", "{}", "{}", out, error), CLDKIT_INVALID_OPTION, "frobnicate");
    EXPECT_FAIL(cldkit_call(client, "ping", "[1]", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "args_json");
    EXPECT_FAIL(cldkit_call(client, "ping", "{", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "args_json");
    EXPECT_FAIL(cldkit_call(client, BAD_UTF8, "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "UTF-8");
    EXPECT_FAIL(cldkit_call(NULL, "ping", "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "client");
    CHECK(cldkit_call(client, "ping", "{}", "{}", NULL, NULL) == CLDKIT_INVALID_ARGUMENT);

    /* The catalogue lists the rows. */
    EXPECT_OK(cldkit_calls_json(out, error), "\"version\":1", "\"name\":\"resources_by_tag\"", "\"name\":\"create_user\"");

    /* The account client: Provisioning rows only. */
    char account_url[1024];
    CHECK(account_url_of(url, account_url, sizeof account_url));
    CldkitAccount *account = NULL;
    char *err = NULL;
    CHECK(cldkit_account_new(account_url, &account, &err) == CLDKIT_OK && account != NULL && err == NULL);
    if (account != NULL) {
        EXPECT_OK(cldkit_account_call(account, "create_user_group", "{\"name\":\"C group\"}", "{}", out, error),
                  "\"name\":\"C group\"", "\"id\":\"");
        EXPECT_OK(cldkit_account_call(account, "user_groups", "{}", "{}", out, error), "\"name\":\"C group\"");
        EXPECT_OK(cldkit_account_call(account, "sub_accounts", "{}", "{}", out, error), "\"sub_accounts\":[");
        EXPECT_FAIL(cldkit_account_call(account, "user", "{\"user_id\":\"nobody\"}", "{}", out, error),
                    CLDKIT_NOT_FOUND, "\"http_status\":404");
        EXPECT_FAIL(cldkit_account_call(account, "ping", "{}", "{}", out, error), CLDKIT_INVALID_OPTION,
                    "not a Provisioning API call");
    }
    cldkit_account_free(account);
    cldkit_account_free(NULL);
    EXPECT_FAIL(cldkit_account_call(NULL, "users", "{}", "{}", out, error), CLDKIT_INVALID_ARGUMENT, "account");
    /* No URL and no CLOUDINARY_ACCOUNT_URL: a configuration error, no handle. */
    unsetenv("CLOUDINARY_ACCOUNT_URL");
    account = NULL;
    CHECK(cldkit_account_new(NULL, &account, &err) == CLDKIT_CONFIG && account == NULL && err != NULL);
    cldkit_string_free(err);
    err = NULL;
    CHECK(cldkit_account_new("cloudinary://key:SECRET@demo", &account, &err) == CLDKIT_CONFIG && account == NULL);
    CHECK(err != NULL && strstr(err, "SECRET") == NULL);
    cldkit_string_free(err);
}

/* ---- sync ------------------------------------------------------------------- */

typedef struct {
    pthread_mutex_t lock;
    int events;
    int uploads;
    int done_seen; /* bit i set when an event had done == i + 1 */
    int bad_total;
    int not_ok;
} sync_log;

static void on_sync(const char *event_json, void *user) {
    sync_log *s = user;
    pthread_mutex_lock(&s->lock);
    s->events++;
    if (strstr(event_json, "\"action\":\"upload\"")) s->uploads++;
    if (!strstr(event_json, "\"total\":3,")) s->bad_total++;
    if (!strstr(event_json, "\"ok\":true")) s->not_ok++;
    for (int i = 1; i <= 3; i++) {
        char key[32];
        snprintf(key, sizeof key, "\"done\":%d,", i);
        if (strstr(event_json, key)) s->done_seen |= 1 << (i - 1);
    }
    pthread_mutex_unlock(&s->lock);
}

static void test_sync(void) {
    size_t n = strlen(scratch) + 16;
    char *dir = malloc(n);
    snprintf(dir, n, "%s/syncdir", scratch);
    mkdir(dir, 0700);
    free(write_file("syncdir/a.png", PNG, sizeof PNG));
    free(write_file("syncdir/b.txt", (const unsigned char *)"bravo", 5));
    free(write_file("syncdir/c.txt", (const unsigned char *)"charlie", 7));
    char args[4096];
    snprintf(args, sizeof args, "{\"inventory\":\"%s\"}", dir);

    sync_log log;
    memset(&log, 0, sizeof log);
    pthread_mutex_init(&log.lock, NULL);
    EXPECT_OK(cldkit_sync(client, args, "{\"folder\":\"csync\"}", on_sync, &log, out, error),
              "\"uploaded\":[", "\"csync/a\"", "\"csync/b\"", "\"csync/c\"", "\"failed\":[]");
    CHECK(log.events == 3 && log.uploads == 3 && log.done_seen == 7);
    CHECK(log.bad_total == 0 && log.not_ok == 0);

    /* Again: nothing to do, no event. */
    log.events = 0;
    EXPECT_OK(cldkit_sync(client, args, "{\"folder\":\"csync\"}", on_sync, &log, out, error),
              "\"uploaded\":[]", "\"unchanged\":[");
    CHECK(log.events == 0);
    /* Without a callback; a bad option; no client. */
    EXPECT_OK(cldkit_sync(client, args, "{\"folder\":\"csync\"}", NULL, NULL, out, error), "\"updated\":[]");
    EXPECT_FAIL(cldkit_sync(client, args, "{\"mode\":\"both\"}", on_sync, &log, out, error), CLDKIT_INVALID_OPTION,
                "mode");
    EXPECT_FAIL(cldkit_sync(NULL, args, "{}", NULL, NULL, out, error), CLDKIT_INVALID_ARGUMENT, "client");
    pthread_mutex_destroy(&log.lock);
    free(dir);
}

/* An inventory of `n` data-URI items `<prefix>00.png` ... under `folder` (malloc'ed). */
static char *sync_inventory(const char *prefix, int n) {
    size_t cap = 64 + (size_t)n * (strlen(PNG_DATA_URI) + strlen(prefix) + 40);
    char *s = malloc(cap);
    size_t len = (size_t)snprintf(s, cap, "{\"inventory\":[");
    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, "%s{\"id\":\"%s%02d.png\",\"data\":\"%s\"}", i ? "," : "", prefix,
                                i, PNG_DATA_URI);
    }
    snprintf(s + len, cap - len, "]}");
    return s;
}

/* Whether the image `public_id` exists. */
static int image_exists(const char *public_id) {
    char args[256], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "{\"public_id\":\"%s\"}", public_id);
    CldkitStatus st = cldkit_admin(client, "resource", args, "{}", &out, &err);
    CHECK(st == CLDKIT_OK || st == CLDKIT_NOT_FOUND);
    cldkit_string_free(out);
    cldkit_string_free(err);
    return st == CLDKIT_OK;
}

/* Takes the events of a started sync on this thread until it has finished; checks
 * each one's `done` follows the previous one and its `total`. Returns the count. */
static int drain_sync(CldkitSync *s, int total, int *out_of_order) {
    CldkitSyncEvent ev = CLDKIT_SYNC_RUNNING;
    char *json = NULL, want[64];
    int events = 0, waits = 0;
    do {
        CHECK(cldkit_sync_wait(s, 250, &ev, &json) == CLDKIT_OK);
        if (ev == CLDKIT_SYNC_PROGRESS) {
            events++;
            snprintf(want, sizeof want, "{\"done\":%d,\"total\":%d,", events, total);
            if (json == NULL || strncmp(json, want, strlen(want)) != 0 || !strstr(json, "\"ok\":true")) {
                (*out_of_order)++;
                fprintf(stderr, "event %d: %s\n", events, json ? json : "(null)");
            }
            cldkit_string_free(json);
        } else {
            CHECK(json == NULL);
        }
    } while (ev != CLDKIT_SYNC_FINISHED && ++waits < 4000);
    CHECK(ev == CLDKIT_SYNC_FINISHED);
    return events;
}

/* The polling form (cldkit_sync_start / _wait / _stop / _finish / _free), as PHP uses it. */
static void test_sync_polling(const char *url) {
    /* More items than the event queue holds, none taken for a while: the sync waits
     * for room, then every event arrives, in order (one action at a time). */
    int n = 70;
    char *args = sync_inventory("p", n);
    CldkitSync *s = NULL;
    char *err = NULL;
    CHECK(cldkit_sync_start(client, args, "{\"folder\":\"cpoll\",\"concurrency\":1}", &s, &err) == CLDKIT_OK);
    CHECK(s != NULL && err == NULL);
    struct timespec pause = {0, 500 * 1000 * 1000};
    nanosleep(&pause, NULL);
    int bad = 0;
    CHECK(drain_sync(s, n, &bad) == n);
    CHECK(bad == 0);
    EXPECT_OK(cldkit_sync_finish(s, out, error), "\"uploaded\":[\"cpoll/p00\"", "\"cpoll/p69\"", "\"failed\":[]");
    EXPECT_FAIL(cldkit_sync_finish(s, out, error), CLDKIT_INVALID_ARGUMENT, "already taken");
    cldkit_sync_free(s);
    /* Again: nothing to do, no event; with several actions at once. */
    s = NULL;
    CHECK(cldkit_sync_start(client, args, "{\"folder\":\"cpoll\",\"concurrency\":4}", &s, NULL) == CLDKIT_OK);
    CHECK(drain_sync(s, n, &bad) == 0);
    EXPECT_OK(cldkit_sync_finish(s, out, error), "\"uploaded\":[]", "\"unchanged\":[", "\"cpoll/p69\"");
    cldkit_sync_free(s);
    free(args);

    /* Bad options fail at finish, with cldkit_sync's error; bad arguments at start. */
    s = NULL;
    CHECK(cldkit_sync_start(client, "{\"inventory\":[]}", "{\"mode\":\"both\"}", &s, NULL) == CLDKIT_OK);
    EXPECT_FAIL(cldkit_sync_finish(s, out, error), CLDKIT_INVALID_OPTION, "mode");
    cldkit_sync_free(s);
    s = NULL;
    EXPECT_FAIL(cldkit_sync_start(NULL, "{}", "{}", &s, error), CLDKIT_INVALID_ARGUMENT, "client");
    CHECK(s == NULL);
    EXPECT_FAIL(cldkit_sync_start(client, "{", "{}", &s, error), CLDKIT_INVALID_ARGUMENT, "args_json");
    CHECK(s == NULL);
    CldkitSyncEvent ev = CLDKIT_SYNC_RUNNING;
    char *json = NULL;
    CHECK(cldkit_sync_wait(NULL, 0, &ev, &json) == CLDKIT_INVALID_ARGUMENT);
    CHECK(cldkit_sync_stop(NULL) == CLDKIT_INVALID_ARGUMENT);
    cldkit_sync_free(NULL);

    /* Every upload answers after 300 ms. Stopped after the first event: no event
     * after it, CLDKIT_IO, and the remaining items are not uploaded. */
    CHECK(set_faults(url, "[{\"method\":\"POST\",\"path\":\"/upload\",\"action\":\"delay\",\"delay_ms\":300}]") ==
          200);
    args = sync_inventory("s", 5);
    s = NULL;
    CHECK(cldkit_sync_start(client, args, "{\"folder\":\"cstop\",\"concurrency\":1}", &s, NULL) == CLDKIT_OK);
    int waits = 0;
    do {
        CHECK(cldkit_sync_wait(s, 100, &ev, &json) == CLDKIT_OK);
    } while (ev == CLDKIT_SYNC_RUNNING && ++waits < 200);
    CHECK(ev == CLDKIT_SYNC_PROGRESS && json != NULL && strstr(json, "{\"done\":1,\"total\":5,") == json);
    cldkit_string_free(json);
    CHECK(cldkit_sync_stop(s) == CLDKIT_OK);
    CHECK(cldkit_sync_wait(s, 5000, &ev, &json) == CLDKIT_OK);
    CHECK(ev == CLDKIT_SYNC_FINISHED && json == NULL);
    EXPECT_FAIL(cldkit_sync_finish(s, out, error), CLDKIT_IO, "stopped");
    cldkit_sync_free(s);
    struct timespec later = {1, 500 * 1000 * 1000}; /* longer than the rest would take */
    nanosleep(&later, NULL);
    CHECK(image_exists("cstop/s00"));
    CHECK(!image_exists("cstop/s04"));

    /* Released without finish: at once, and after an event (the sync is stopped,
     * its thread joined; valgrind: nothing leaks). */
    s = NULL;
    CHECK(cldkit_sync_start(client, args, "{\"folder\":\"cfree\",\"concurrency\":1}", &s, NULL) == CLDKIT_OK);
    cldkit_sync_free(s);
    s = NULL;
    CHECK(cldkit_sync_start(client, args, "{\"folder\":\"cfree\",\"concurrency\":1}", &s, NULL) == CLDKIT_OK);
    waits = 0;
    do {
        CHECK(cldkit_sync_wait(s, 100, &ev, &json) == CLDKIT_OK);
    } while (ev == CLDKIT_SYNC_RUNNING && ++waits < 200);
    CHECK(ev == CLDKIT_SYNC_PROGRESS);
    cldkit_string_free(json);
    cldkit_sync_free(s);
    nanosleep(&later, NULL);
    CHECK(!image_exists("cfree/s04"));
    free(args);
    CHECK(set_faults(url, "[]") == 200);
}

int main(int argc, char **argv) {
    const char *url = getenv("CLDKIT_TEST_URL");
    const char *limited = getenv("CLDKIT_TEST_URL_LIMITED");
    if (!url || !limited || argc < 2) {
        fprintf(stderr, "usage: CLDKIT_TEST_URL=... CLDKIT_TEST_URL_LIMITED=... %s <scratch dir>\n", argv[0]);
        return 2;
    }
    scratch = argv[1];
    char *err = NULL;
    if (cldkit_client_from_url(url, &client, &err) != CLDKIT_OK) {
        fprintf(stderr, "cannot create the client: %s\n", err ? err : "");
        cldkit_string_free(err);
        return 1;
    }
    CHECK(strcmp(cldkit_status_name(CLDKIT_NOT_FOUND), "not_found") == 0);
    CHECK(strcmp(cldkit_status_name(CLDKIT_IO), "io") == 0);
    CHECK(strcmp(cldkit_status_name(17), "unknown") == 0);

    test_uploads();
    test_upload_api();
    test_admin();
    test_calls(url);
    test_sync();
    test_sync_polling(url);
    test_credentials(url);
    test_secrets_in_errors();
    test_rate_limit(limited);
    test_stop(url);
    test_threads();
    test_fork();

    cldkit_client_free(client);
    printf("%d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
