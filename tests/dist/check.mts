// Type-checked (tsc --noEmit, ES module resolution through package.json "exports") against
// the installed package by tests/dist/ci.sh; never run.
import cldkit, { Client, CldkitError, engineVersion, UploadResponse, ApiResponse } from "cldkit";
import { v2 } from "cldkit/compat";

const client: Client = new Client({ cloud_name: "demo", analytics: false });
const url: string = client.url("sample.jpg", { width: 300, height: 200, crop: "fill" });
const version: string = engineVersion + cldkit.engineVersion;
const compatUrl: string = v2.url("sample.jpg", { width: 100 });

async function upload(cloudinaryUrl: string): Promise<number> {
  const api = Client.fromUrl(cloudinaryUrl);
  const result: UploadResponse = await api.upload("file.bin", { public_id: "x", resource_type: "raw" });
  const resource: ApiResponse = await api.resource("x", { resource_type: "raw" });
  return Number(result.bytes) + Number(resource.bytes);
}

try {
  // @ts-expect-error the types are there: a number is no public id
  client.url(42);
} catch (e) {
  if (e instanceof CldkitError) console.log(e.code);
}
console.log(url, version, compatUrl, upload);
