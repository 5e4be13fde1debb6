// App code written against the npm SDK's types; compat_types.test.js type-checks it with
// "cloudinary" resolved to the npm package's own declarations and to cldkit/compat's:
// a TypeScript app switches without a type error.
import { v2 as cloudinary } from "cloudinary";

cloudinary.config({ cloud_name: "demo", api_key: "1", api_secret: "s", secure: true });
const cloudName: string | undefined = cloudinary.config().cloud_name;
const thumb: string = cloudinary.url("sample.jpg", { width: 150, height: 150, crop: "fill" });
const img: string = cloudinary.image("sample.jpg", { width: 300, alt: "x" });
const tags: string = cloudinary.video("dog") + cloudinary.picture("dog") + cloudinary.source("dog");
const sig: string = cloudinary.utils.api_sign_request({ timestamp: 1, folder: "f" }, "s");
const signed: { signature: string; api_key: string } = cloudinary.utils.sign_request({ timestamp: 1 }, {});
const ok: boolean = cloudinary.utils.verifyNotificationSignature("{}", 1, "sig");
const dl: string =
  cloudinary.utils.private_download_url("x", "png", {}) + cloudinary.utils.download_archive_url({}) + cloudinary.utils.api_url("upload");

async function handlers(file: string): Promise<void> {
  const up = await cloudinary.uploader.upload(file, { folder: "shop", tags: ["a"] });
  const id: string = up.public_id;
  const bytes: number = up.bytes;
  await cloudinary.uploader.destroy(id, { invalidate: true });
  await cloudinary.uploader.rename(id, "b");
  await cloudinary.uploader.add_tag("t", [id]);
  await cloudinary.uploader.explicit(id, { type: "upload" });
  const res = await cloudinary.api.resource(id);
  const found = await cloudinary.search.expression("tags=a").sort_by("public_id", "asc").max_results(10).execute();
  const folders = await cloudinary.api.sub_folders("a");
  await cloudinary.api.resources({ type: "upload", prefix: "a" });
  await cloudinary.api.delete_resources([id]);
  console.log(bytes, res, found, folders);
  const stream = cloudinary.uploader.upload_stream({ folder: "shop" }, (error, result) => {
    if (error) console.log(error.message, error.http_code);
    else if (result) console.log(result.secure_url);
  });
  stream.end(Buffer.from("x"));
  const searchUrl: string = cloudinary.search.expression("a").to_url();
  console.log(searchUrl);
}

console.log(cloudName, thumb, img, tags, sig, signed, ok, dl, handlers);
