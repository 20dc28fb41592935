export {
  type AuthorizationDecision,
  type Authorized,
  authorizationDetails,
  completeAuthorization,
  type Guard,
  handler,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
} from './handlers.js'
export {
  type FetchAdapterOptions,
  type RequestContext,
  type ToOAuthRequestOptions,
  toOAuthRequest,
} from './request.js'
