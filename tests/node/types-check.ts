// Type-checked with `tsc --noEmit --strict` by types.test.js: uses the public API.
import cldkit, { Client, CldkitError, float, apiSignRequest, UploadRequest, Options } from "cldkit";
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
