export {
  formatAuthorizationHeader,
  isOAuthAuthorizationHeader,
  type ParsedAuthorizationHeader,
  parseAuthorizationHeader,
} from './authorization-header.js'
export { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.js'
export {
  Client,
  type ClientOptions,
  type SignatureType,
  type SignedRequest,
  type SignRequestOptions,
} from './client.js'
export {
  type CollectParametersInput,
  collectParameters,
  getHeader,
  type HeadersLike,
} from './collect.js'
export {
  escape,
  formatForm,
  isFormContentType,
  type Param,
  parseForm,
  unescape,
} from './encoding.js'
export { RsaPrivateKey, RsaPublicKey } from './methods.js'
export {
  type BuiltinSignatureMethodName,
  builtinSignatureMethods,
  SIGNATURE_METHODS,
  type SignatureMethod,
  SignatureMethodRegistry,
  type SignInput,
  type VerifyInput,
} from './registry.js'
export {
  RequestParameters,
  type RequestParametersInput,
  readRequestParameters,
} from './request-parameters.js'
export {
  bodyHash,
  importRsaPrivateKey,
  importRsaPublicKey,
  signHmacSha1,
  signHmacSha256,
  signHmacSha512,
  signPlaintext,
  signRsaSha1,
  signRsaSha256,
  signRsaSha512,
  verifyHmacSha1,
  verifyHmacSha256,
  verifyHmacSha512,
  verifyPlaintext,
  verifyRsaSha1,
  verifyRsaSha256,
  verifyRsaSha512,
} from './sign.js'
export { timingSafeEqual } from './timing-safe-equal.js'
