export {
  createRequestValidator,
  type IdentifierRule,
  type RequestValidatorOptions,
} from './create-request-validator.ts'
export { AccessTokenEndpoint } from './endpoints/access-token.ts'
export {
  type AuthorizationDetails,
  AuthorizationEndpoint,
  type AuthorizationGrant,
} from './endpoints/authorization.ts'
export type {
  CheckLog,
  Credentials,
  EndpointOptions,
  RejectedRequest,
  ValidatedRequest,
} from './endpoints/base.ts'
export { RequestTokenEndpoint } from './endpoints/request-token.ts'
export { type AuthorizedResourceRequest, ResourceEndpoint } from './endpoints/resource.ts'
export { SignatureOnlyEndpoint, type VerifiedRequest } from './endpoints/signature-only.ts'
export { WebApplicationServer } from './endpoints/web-application-server.ts'
export * from './errors.ts'
export { MemoryStore, type MemoryStoreOptions } from './memory-store.ts'
export {
  createOAuthRequest,
  DEFAULT_LIMITS,
  type OAuthRequest,
  type OAuthRequestInit,
  type OAuthResponse,
  type RequestLimits,
} from './request.ts'
export {
  appendQueryParams,
  type ErrorResponseOptions,
  errorParams,
  errorResponse,
  formResponse,
  redirectResponse,
} from './response.ts'
export * from './signature/index.ts'
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
} from './stores.ts'
export { generateToken } from './tokens.ts'
export type {
  AccessTokenResponse,
  Awaitable,
  RequestTokenExchange,
  RequestTokenResponse,
  RequestValidator,
  TokenInfo,
  ValidationRequest,
  VerifierResponse,
} from './validator.ts'
export { defaultWarningHandler, type OAuth1Warning, type WarningHandler } from './warnings.ts'
