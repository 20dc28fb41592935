export {
  defaultWarningHandler,
  type OAuth1Warning,
  once,
  type WarningHandler,
} from '../warnings.ts'
export { type BodyReadOptions, readBody } from './body.ts'
export { isOAuthRequestCandidate, serializeParsedForm, shouldReadBody } from './form.ts'
export { type HeaderSource, headerValue, normalizeHeaders } from './headers.ts'
export {
  type AdapterOptions,
  BODY_ALREADY_PARSED,
  type IncomingMessageLike,
  type IncomingMessageOptions,
  readIncomingMessage,
} from './incoming-message.ts'
export { type RequestUrlInput, type RequestUrlOptions, requestUrl } from './url.ts'
