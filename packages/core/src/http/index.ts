export {
  defaultWarningHandler,
  type OAuth1Warning,
  once,
  type WarningHandler,
} from '../warnings.js'
export { type AuthorizationDecision, decideAuthorization } from './authorization.js'
export { type BodyReadOptions, readBody } from './body.js'
export { isOAuthRequestCandidate, serializeParsedForm, shouldReadBody } from './form.js'
export { type HeaderSource, headerValue, normalizeHeaders } from './headers.js'
export {
  type AdapterOptions,
  BODY_ALREADY_PARSED,
  type IncomingMessageLike,
  type IncomingMessageOptions,
  readIncomingMessage,
  readIncomingMessageNow,
  warnOnceFor,
} from './incoming-message.js'
export { isRejection, readOrRejection, requestOrRejection } from './rejection.js'
export { type RequestUrlInput, type RequestUrlOptions, requestUrl } from './url.js'
