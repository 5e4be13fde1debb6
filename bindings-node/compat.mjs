// ES module entry of `cldkit/compat`.
import compat from './compat.js';

export const { config, url, image, video, picture, source, utils, uploader, v2, CldkitError } = compat;
export default compat;
