/* An upload from C against the installed libcldkit (tests/dist/ci.sh builds it with
 * pkg-config against the unpacked release tarball): uploads bytes to the emulator in
 * $CLOUDINARY_URL, reads the asset back through the Admin API and checks
 * cldkit_version() against $CLDKIT_VERSION. Exits non-zero on any failure. */
#include <cldkit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, CldkitStatus st, char *error) {
    fprintf(stderr, "upload.c: %s: %s: %s\n", what, cldkit_status_name(st), error ? error : "");
    cldkit_string_free(error);
    return 1;
}

int main(void) {
    const char *want = getenv("CLDKIT_VERSION");
    if (!want || strcmp(cldkit_version(), want) != 0) {
        fprintf(stderr, "upload.c: cldkit_version() is %s, expected %s\n", cldkit_version(), want ? want : "?");
        return 1;
    }
    CldkitClient *client = NULL;
    char *out = NULL, *error = NULL;
    CldkitStatus st = cldkit_client_from_env(&client, &error);
    if (st != CLDKIT_OK) return fail("cldkit_client_from_env", st, error);

    uint8_t data[2048];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7 + 3);
    st = cldkit_upload_bytes(client, data, sizeof data, "check.bin",
                             "{\"public_id\":\"dist-check-c.bin\",\"resource_type\":\"raw\"}", NULL, NULL,
                             &out, &error);
    if (st != CLDKIT_OK) return fail("cldkit_upload_bytes", st, error);
    int ok = strstr(out, "\"public_id\":\"dist-check-c.bin\"") && strstr(out, "\"bytes\":2048");
    cldkit_string_free(out);
    if (!ok) return fail("upload answer", CLDKIT_OK, NULL);

    st = cldkit_admin(client, "resource", "{\"public_id\":\"dist-check-c.bin\"}", "{\"resource_type\":\"raw\"}",
                      &out, &error);
    if (st != CLDKIT_OK) return fail("cldkit_admin resource", st, error);
    ok = strstr(out, "\"bytes\":2048") != NULL;
    cldkit_string_free(out);
    cldkit_client_free(client);
    if (!ok) return fail("resource answer", CLDKIT_OK, NULL);
    printf("c: ok  upload of 2048 bytes with libcldkit %s, read back through the Admin API\n", cldkit_version());
    return 0;
}
