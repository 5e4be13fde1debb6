// Type-checked with `tsc --noEmit --strict` by types.test.js: uses the public API.
import cldkit, { Client, CldkitError, float, apiSignRequest, UploadRequest, Options, UploadResponse, ApiResponse, ApiError, NotFoundError, RateLimitedError, adminCalls } from "cldkit";
import compat, { v2, utils } from "cldkit/compat";
import { AccountClient, TransformationOptions, InvalidOptionError, LocalCallName } from "cldkit";

const client: Client = new Client({ cloud_name: "demo", api_key: "1234", api_secret: "abcd" }, { profile: "python" });
const fromUrl: Client = Client.fromUrl("cloudinary://1234:abcd@demo");
const options: Options = { width: 300, height: 200, crop: "fill", dpr: float(2), transformation: [{ effect: "sepia" }] };
const url: string = client.url("sample.jpg", options);
const maybe: null | undefined = client.url(null);
const sig: string = fromUrl.withClock(1700000000).signRequest({ timestamp: 1700000000, public_id: "x" });
const ok: boolean = client.verifyNotification(Buffer.from("{}"), 1700000000, sig, 7200);
const req: UploadRequest = client.uploadForm("https://example.com/a.jpg", { tags: ["a", "b"] });
const fields: [string, string][] = req.fields;
const html: string = client.imageTag("sample", { width: 100 });
const signed: string = apiSignRequest({ a: 1 }, "abcd", "sha256", 2);
const compatUrl: string = v2.url("sample.jpg", { width: 100 }) + utils.api_sign_request({ a: 1 }, "abcd") + compat.url("x");

try {
  client.url("x", { radius: [1, 2, 3, 4, 5] });
} catch (e) {
  if (e instanceof CldkitError) {
    const code: string = e.code;
    const option: string | null = e.option;
    console.log(code, option);
  }
}

console.log(url, maybe, ok, fields, html, signed, compatUrl, cldkit.engineVersion);

// The network API (type-checked only; http.test.js runs it against the emulator).
async function network(c: Client, stream: AsyncIterable<Uint8Array>): Promise<void> {
  const up: UploadResponse = await c.upload("photo.jpg", { public_id: "x", tags: ["a"] }, {
    chunkSize: 6_000_000,
    onProgress: (done: number, total: number | null) => console.log(done, total),
  });
  const id: string = up.public_id;
  await c.upload(Buffer.from("abc"), { resource_type: "raw" });
  await c.upload(stream, { resource_type: "raw" }, { streamBuffer: 4 });
  const res: ApiResponse = await c.resources({ max_results: 10 });
  for await (const page of c.pages("resources", {}, { max_results: 10 })) console.log(page.resources);
  const found = await c.search().expression("tags=a").sortBy("public_id", "asc").maxResults(5).execute();
  await c.destroy(id, { invalidate: true });
  await c.addTag("t", [id]);
  await c.admin("ping");
  const controller = new AbortController();
  await c.ping({ timeout: 10, signal: controller.signal });
  await c.upload("photo.jpg", { public_id: "x" }, { signal: controller.signal });
  const refreshed: Client = c.withOAuthRefresh((refused: string) => (refused === "old" ? "new" : null));
  await refreshed.withOAuthRefresh(async (refused) => refused.toUpperCase()).ping();
  c.withOAuthRefresh(() => undefined).withOAuthRefresh(() => Promise.resolve(null));
  try {
    await c.resource("missing");
  } catch (e) {
    if (e instanceof ApiError) {
      const status: number | null = e.status;
      const requestId: string | null = e.requestId;
      const resetAt: number | null = e.resetAt;
      console.log(status, requestId, resetAt, e instanceof NotFoundError, e instanceof RateLimitedError);
    }
  }
  console.log(res.rate_limit_remaining, found.total_count, adminCalls.length);
}
console.log(typeof network);

// The generated surface (calls.d.ts, errors.d.ts): typed transformation options, one
// method per catalogue row, the account client, the error table's statics.
const typed: TransformationOptions = {
  width: 300,
  height: "ih_div_2",
  crop: "fill",
  gravity: "face",
  border: { width: 2, color: "red" },
  transformation: [{ effect: "sepia", crop: "scale" }],
  $size: 10,
  secure: true,
};
// Open sets: the known texts complete, other valid texts pass too.
const openSets: TransformationOptions = { gravity: "auto:faces", fetch_format: "jpeg", crop: "thumb" };
const poster: string = client.videoThumbnailUrl("dog", typed) + client.url("x", openSets);
const lazy: string = client.lazyImageTag("x", "blur", { width: 10 }) + client.lazyImageTag("x", { width: 10 }, "pixelate");
const attributes: { [key: string]: unknown } = client.imageAttributes("x", { width: 1 });
const signedSearch: string = client.searchUrl("tags=a", 300);
const localName: LocalCallName = "download_zip_url";
const viaLocal: unknown = client.callLocal(localName, {}, { tags: "a" });
const notFound: "not_found" = NotFoundError.code;
const notFoundStatus: 404 = NotFoundError.httpStatus;
const invalidStatus: null = InvalidOptionError.httpStatus;
console.log(poster, lazy, attributes, signedSearch, viaLocal, notFound, notFoundStatus, invalidStatus);

async function generated(c: Client, account: AccountClient): Promise<void> {
  const signal = new AbortController().signal;
  const page: ApiResponse = await c.resourcesByTag("kitten", { max_results: 5 }, { signal });
  await c.updateResourcesAccessModeByIds("public", ["a", "b"]);
  await c.createUploadMapping("folder", { template: "https://example.com/" });
  await c.uploadLarge(Buffer.from("abc"), { resource_type: "raw" });
  await c.deleteDerivedByTransformation(["a"], [{ width: 100 }], null, null, true);
  const any: unknown = await c.call("ping", {}, {}, signal);
  const searched: ApiResponse = await c.search("tags=a", { max_results: 1 });
  const users: ApiResponse = await account.users(null, null, "active");
  await account.createUserGroup("editors", {}, { signal });
  await account.call("sub_accounts", {}, {});
  const fromEnv: AccountClient = new AccountClient();
  console.log(page.next_cursor, any, searched.total_count, users.users, fromEnv.settings());
}
console.log(typeof generated);
