// Type-checked with `tsc --noEmit --strict` by types.test.js: uses the public API.
import cldkit, { Client, CldkitError, float, apiSignRequest, UploadRequest, Options, UploadResponse, ApiResponse, ApiError, NotFoundError, RateLimitedError, adminCalls } from "cldkit";
import compat, { v2, utils } from "cldkit/compat";

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
