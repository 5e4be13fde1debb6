/*
 * Concurrency and error-path stress for the C ABI, written for sanitizer runs
 * (tests/c/asan.sh): 8 threads share one client and also create and free their own,
 * and every thread mixes successful calls with NULL pointers, invalid UTF-8,
 * malformed JSON and core errors. Every returned string and error is freed, and
 * every result is checked, so AddressSanitizer/LeakSanitizer see any double free,
 * leak or out-of-bounds access on either side of the boundary.
 *
 *   cc -std=c11 test_threads.c $(pkg-config --cflags --libs cldkit) -lpthread
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cldkit.h"

#define THREADS 8
#define ROUNDS 150
#define BAD_UTF8 "\xff\xfe\xc3("

static CldkitClient *shared;

#define FAIL(...)                                                    \
    do {                                                             \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);               \
        fprintf(stderr, __VA_ARGS__);                                \
        fputc('\n', stderr);                                         \
        return (void *)1;                                            \
    } while (0)

/* A call that must succeed and produce `want` (or start with it when prefix). */
#define OK_STR(call, want, prefix)                                               \
    do {                                                                         \
        char *out_ = NULL, *err_ = NULL;                                         \
        CldkitStatus st_ = (call);                                               \
        int good_ = st_ == CLDKIT_OK && out_ != NULL && err_ == NULL &&          \
                    (prefix ? strncmp(out_, want, strlen(want)) == 0             \
                            : strcmp(out_, want) == 0);                          \
        if (!good_) {                                                            \
            fprintf(stderr, "got %d %s %s\n", (int)st_, out_ ? out_ : "(null)",  \
                    err_ ? err_ : "(null)");                                     \
            cldkit_string_free(out_);                                            \
            cldkit_string_free(err_);                                            \
            FAIL("%s", #call);                                                   \
        }                                                                        \
        cldkit_string_free(out_);                                                \
    } while (0)

/* A call that must fail with `status`, a message, and a NULL result. */
#define ERR(call, status)                                                        \
    do {                                                                         \
        char *out_ = NULL, *err_ = NULL;                                         \
        CldkitStatus st_ = (call);                                               \
        int good_ = st_ == (status) && out_ == NULL && err_ != NULL &&           \
                    strstr(err_, "abcd1234SECRET") == NULL;                      \
        if (!good_) {                                                            \
            fprintf(stderr, "got %d %s\n", (int)st_, err_ ? err_ : "(null)");    \
            cldkit_string_free(out_);                                            \
            cldkit_string_free(err_);                                            \
            FAIL("%s", #call);                                                   \
        }                                                                        \
        cldkit_string_free(err_);                                                \
    } while (0)

/* One round of calls on `c`; returns non-NULL on the first wrong result. */
static void *one_round(const CldkitClient *c, int i) {
    char opts[128];
    {
        snprintf(opts, sizeof opts, "{\"width\":%d,\"crop\":\"fill\",\"sign_url\":true}", i + 1);
        OK_STR(cldkit_url(c, "sample.jpg", opts, &out_, &err_),
               "https://res.cloudinary.com/demo/image/upload/s--", 1);
        OK_STR(cldkit_sign_request(c, "{\"public_id\":\"a&b\",\"timestamp\":1700000000}", &out_, &err_),
               "", 1);
        OK_STR(cldkit_image_tag(c, "sample", "{\"width\":10}", &out_, &err_), "<img ", 1);
        OK_STR(cldkit_upload_params(c, "{\"tags\":[\"a\",\"b\"],\"context\":{\"k\":\"v|=\"}}", &out_, &err_),
               "{", 1);

        /* Error paths: NULL pointers, invalid UTF-8, malformed JSON, core errors. */
        ERR(cldkit_url(c, NULL, "{}", &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_url(c, BAD_UTF8, "{}", &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_url(c, "x", BAD_UTF8, &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_url(c, "x", "{\"width\":", &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_url(NULL, "x", "{}", &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_url(c, "x", "{\"url_suffix\":\"a/b\"}", &out_, &err_), CLDKIT_INVALID_OPTION);
        ERR(cldkit_sign_request(c, "[1,2]", &out_, &err_), CLDKIT_INVALID_ARGUMENT);
        ERR(cldkit_image_tag(c, "x", "{\"srcset\":{\"min_width\":50,\"max_width\":300,\"max_images\":5},"
                                     "\"transformation\":[{\"effect\":\"sepia\"},{\"width\":100}]}",
                             &out_, &err_), CLDKIT_INVALID_OPTION);
        {
            char *err = NULL;
            CldkitClient *bad = NULL;
            if (cldkit_client_from_url("cloudinary://k:abcd1234SECRETxyz@demo?a[b=1", &bad, &err) == CLDKIT_OK) {
                cldkit_client_free(bad);
            } else if (err == NULL || strstr(err, "abcd1234SECRET") != NULL) {
                FAIL("client_from_url error: %s", err ? err : "(null)");
            }
            cldkit_string_free(err);
        }
        {
            bool valid = true;
            char *err = NULL;
            const char body[] = "{\"public_id\":\"x\"}\xff";
            /* Invalid UTF-8 body: an error, never a crash. */
            CldkitStatus st = cldkit_verify_notification(c, (const uint8_t *)body, sizeof body - 1,
                                                         "1700000000", "00", false, 0, &valid, &err);
            if (st == CLDKIT_OK && valid) FAIL("accepted a forged webhook");
            cldkit_string_free(err);
            err = NULL;
            st = cldkit_verify_notification(c, NULL, 0, "\"1700000000\"", "00", true, 1e300, &valid, &err);
            if (st != CLDKIT_OK || valid) FAIL("empty body: %d %s", (int)st, err ? err : "");
            cldkit_string_free(err);
            err = NULL;
            st = cldkit_verify_notification(c, NULL, 5, "1", "00", false, 0, &valid, &err);
            if (st != CLDKIT_INVALID_ARGUMENT) FAIL("NULL body with a length: %d", (int)st);
            cldkit_string_free(err);
        }
    }
    return NULL;
}

static void *worker(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        const CldkitClient *c = shared;
        CldkitClient *own = NULL;
        if (i % 10 == id % 10) {
            char *err = NULL;
            if (cldkit_client_from_url("cloudinary://k:abcd1234SECRETxyz@demo?analytics=false", &own, &err) != CLDKIT_OK) {
                fprintf(stderr, "client_from_url: %s\n", err ? err : "");
                cldkit_string_free(err);
                return (void *)1;
            }
            c = own;
        }
        void *r = one_round(c, i);
        cldkit_client_free(own);
        if (r != NULL) return r;
    }
    return NULL;
}

int main(void) {
    char *err = NULL;
    if (cldkit_client_new("{\"cloud_name\":\"demo\",\"api_key\":\"1234\",\"api_secret\":\"abcd1234SECRETxyz\","
                          "\"secure\":true,\"analytics\":false}", &shared, &err) != CLDKIT_OK) {
        fprintf(stderr, "client: %s\n", err ? err : "");
        return 1;
    }
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) return 1;
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r = NULL;
        pthread_join(t[i], &r);
        failures += r != NULL;
    }
    cldkit_client_free(shared);
    printf("%d threads x %d rounds, %d failed threads\n", THREADS, ROUNDS, failures);
    return failures == 0 ? 0 : 1;
}
