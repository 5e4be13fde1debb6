// ES module entry: the same objects as the CommonJS entry.
import cldkit from './index.js';

export const {
  Client,
  Search,
  adminCalls,
  CldkitError,
  InvalidOptionError,
  ConfigError,
  SignatureError,
  InternalError,
  ApiError,
  BadRequestError,
  AuthorizationError,
  NotAllowedError,
  NotFoundError,
  AlreadyExistsError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  NetworkError,
  ResponseError,
  IoError,
  PyFloat,
  float,
  isFloat,
  apiSignRequest,
  parseConfigUrl,
  engineVersion,
} = cldkit;
export default cldkit;
