export {
  formatAuthorizationHeader,
  isOAuthAuthorizationHeader,
  type ParsedAuthorizationHeader,
  parseAuthorizationHeader,
} from './authorization-header.ts'
export { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.ts'
export {
  Client,
  type ClientOptions,
  type SignatureType,
  type SignedRequest,
  type SignRequestOptions,
} from './client.ts'
export {
  type CollectParametersInput,
  collectParameters,
  getHeader,
  type HeadersLike,
} from './collect.ts'
export {
  escape,
  formatForm,
  isFormContentType,
  type Param,
  parseForm,
  unescape,
} from './encoding.ts'
export { RsaPrivateKey, RsaPublicKey } from './methods.ts'
export {
  type BuiltinSignatureMethodName,
  builtinSignatureMethods,
  SIGNATURE_METHODS,
  type SignatureMethod,
  SignatureMethodRegistry,
  type SignInput,
  type VerifyInput,
} from './registry.ts'
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
} from './sign.ts'
export { timingSafeEqual } from './timing-safe-equal.ts'
