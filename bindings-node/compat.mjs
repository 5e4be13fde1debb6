// ES module entry of `cldkit/compat`: `import { v2 as cloudinary } from 'cldkit/compat'`.
import compat from './compat.js';

export const {
  config,
  url,
  image,
  video,
  picture,
  source,
  utils,
  uploader,
  api,
  search,
  search_folders,
  provisioning,
  BLANK,
  v2,
  CldkitError,
} = compat;
export default compat;
