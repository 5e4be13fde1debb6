// ES module entry: the same objects as the CommonJS entry.
import cldkit from './index.js';

export const {
  Client,
  CldkitError,
  InvalidOptionError,
  ConfigError,
  SignatureError,
  InternalError,
  PyFloat,
  float,
  isFloat,
  apiSignRequest,
  parseConfigUrl,
  engineVersion,
} = cldkit;
export default cldkit;
