export {
  createRequestValidator,
  type IdentifierRule,
  type RequestValidatorOptions,
} from './create-request-validator.js'
export { AccessTokenEndpoint } from './endpoints/access-token.js'
export {
  type AuthorizationDetails,
  AuthorizationEndpoint,
  type AuthorizationGrant,
} from './endpoints/authorization.js'
export type {
  CheckLog,
  Credentials,
  EndpointOptions,
  RejectedRequest,
  ValidatedRequest,
} from './endpoints/base.js'
export { RequestTokenEndpoint } from './endpoints/request-token.js'
export { type AuthorizedResourceRequest, ResourceEndpoint } from './endpoints/resource.js'
export { SignatureOnlyEndpoint, type VerifiedRequest } from './endpoints/signature-only.js'
export { WebApplicationServer } from './endpoints/web-application-server.js'
export * from './errors.js'
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js'
export {
  createOAuthRequest,
  DEFAULT_LIMITS,
  type OAuthRequest,
  type OAuthRequestInit,
  type OAuthResponse,
  type RequestLimits,
} from './request.js'
export {
  appendQueryParams,
  type ErrorResponseOptions,
  errorParams,
  errorResponse,
  formResponse,
  redirectResponse,
} from './response.js'
export * from './signature/index.js'
export type {
  AccessTokenRecord,
  ClientAdminStore,
  ClientRecord,
  ClientStore,
  NonceKey,
  NonceStore,
  RequestTokenRecord,
  TokenExchange,
  TokenStore,
} from './stores.js'
export { generateToken } from './tokens.js'
export type {
  AccessTokenResponse,
  Awaitable,
  RequestTokenExchange,
  RequestTokenResponse,
  RequestValidator,
  TokenInfo,
  ValidationRequest,
  VerifierResponse,
} from './validator.js'
export { defaultWarningHandler, type OAuth1Warning, type WarningHandler } from './warnings.js'
