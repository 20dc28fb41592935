import type {
  AuthorizationDetails,
  AuthorizationEndpoint,
  AuthorizedResourceRequest,
  OAuthRequest,
  OAuthResponse,
  RejectedRequest,
  ResourceEndpoint,
  SignatureOnlyEndpoint,
  VerifiedRequest,
} from '@x/oauth1-core'
import {
  type AdapterOptions,
  type AuthorizationDecision,
  decideAuthorization,
  type IncomingMessageLike,
  isRejection,
  readIncomingMessage,
  readIncomingMessageNow,
  readOrRejection,
} from '@x/oauth1-core/http'

/** Options of every function here: `trustProxy`, `publicUrl`, `bodyLimit`, `onWarning`. */
export type ExpressAdapterOptions = AdapterOptions

/** The parts of an Express request the adapter uses (structural: no dependency on Express's types). */
export interface ExpressRequestLike extends IncomingMessageLike {
  readonly method: string
  readonly originalUrl?: string | undefined
  readonly body?: unknown
}

/** The parts of an Express response the adapter uses. */
export interface ExpressResponseLike {
  statusCode: number
  readonly locals: Record<string, unknown>
  setHeader(name: string, value: string): unknown
  end(body: string): unknown
}

/** Express's `next`. */
export type ExpressNext = (error?: unknown) => void

/** An Express middleware. */
export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: ExpressResponseLike,
  next: ExpressNext,
) => void

/** What {@link requireOAuth} (three-legged) or {@link requireSignature} (two-legged) leave in `res.locals.oauth1`. */
export type OAuth1Locals = AuthorizedResourceRequest | VerifiedRequest

/**
 * The neutral request of an Express request: URL as the client addressed it (from
 * `originalUrl`, so mounted routers keep their prefix), headers, the raw form body (read
 * once, with `bodyLimit`), the peer address.
 */
export function toOAuthRequest(
  req: ExpressRequestLike,
  options: ExpressAdapterOptions = {},
): Promise<OAuthRequest> {
  return readIncomingMessage(req, {
    ...options,
    target: req.originalUrl ?? req.url,
    parsedBody: req.body,
  })
}

/** Sends an endpoint's response: status, headers, body, exactly as given. */
export function sendOAuthResponse(res: ExpressResponseLike, response: OAuthResponse): void {
  res.statusCode = response.status
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value)
  res.end(response.body ?? '')
}

// CORS preflights carry no credentials. HEAD is not exempt: frameworks route it to the
// GET handler, so a guard must verify it like GET (the method is part of the signature).
const isPreflight = (req: ExpressRequestLike) => req.method === 'OPTIONS'
const passesThrough = (req: ExpressRequestLike) => req.method === 'HEAD' || isPreflight(req)

// Answers at once unless a body is read: a guard on a synchronous store then verifies a
// GET without an extra promise.
const read = (
  req: ExpressRequestLike,
  options: ExpressAdapterOptions,
): OAuthRequest | RejectedRequest | Promise<OAuthRequest | RejectedRequest> =>
  readOrRejection(() =>
    readIncomingMessageNow(req, {
      ...options,
      target: req.originalUrl ?? req.url,
      parsedBody: req.body,
    }),
  )

/** Runs an async middleware body; anything it throws goes to `next(err)`. */
function middleware(
  run: (req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext) => Promise<void>,
  skip: (req: ExpressRequestLike) => boolean = passesThrough,
): ExpressMiddleware {
  return (req, res, next) => {
    if (skip(req)) return next()
    run(req, res, next).catch(next)
  }
}

/**
 * Serves a token endpoint, e.g.
 * `handler((req) => server.createRequestTokenResponse(req))`.
 */
export function handler(
  endpoint: (req: OAuthRequest, native: ExpressRequestLike) => Promise<OAuthResponse>,
  options: ExpressAdapterOptions = {},
): ExpressMiddleware {
  return middleware(async (req, res) => {
    const oauthRequest = await read(req, options)
    sendOAuthResponse(
      res,
      isRejection(oauthRequest) ? oauthRequest.response : await endpoint(oauthRequest, req),
    )
  })
}

/**
 * Guards a three-legged protected route: on success `res.locals.oauth1` holds the
 * validated request (client, token, resource owner, realms); on failure the error
 * response is sent and `next` is not called.
 */
export function requireOAuth(
  endpoint: Pick<ResourceEndpoint, 'validateProtectedResourceRequest'>,
  options: ExpressAdapterOptions & { readonly realms?: readonly string[] | undefined } = {},
): ExpressMiddleware {
  return middleware(async (req, res, next) => {
    let oauthRequest = read(req, options)
    if (oauthRequest instanceof Promise) oauthRequest = await oauthRequest
    const result = isRejection(oauthRequest)
      ? oauthRequest
      : await endpoint.validateProtectedResourceRequest(oauthRequest, { realms: options.realms })
    if (!result.ok) return sendOAuthResponse(res, result.response)
    res.locals.oauth1 = result
    next()
  }, isPreflight)
}

/** Guards a two-legged route (signature only); `res.locals.oauth1` as in {@link requireOAuth}. */
export function requireSignature(
  endpoint: Pick<SignatureOnlyEndpoint, 'validateRequest'>,
  options: ExpressAdapterOptions = {},
): ExpressMiddleware {
  return middleware(async (req, res, next) => {
    let oauthRequest = read(req, options)
    if (oauthRequest instanceof Promise) oauthRequest = await oauthRequest
    const result = isRejection(oauthRequest)
      ? oauthRequest
      : await endpoint.validateRequest(oauthRequest)
    if (!result.ok) return sendOAuthResponse(res, result.response)
    res.locals.oauth1 = result
    next()
  }, isPreflight)
}

/**
 * What the consent page shows: the realms and client of the request token in the query
 * or form. On failure, send `details.response`.
 */
export async function authorizationDetails(
  endpoint: Pick<AuthorizationEndpoint, 'getRealmsAndCredentials'>,
  req: ExpressRequestLike,
  options: ExpressAdapterOptions = {},
): Promise<AuthorizationDetails | RejectedRequest> {
  const oauthRequest = await read(req, options)
  return isRejection(oauthRequest) ? oauthRequest : endpoint.getRealmsAndCredentials(oauthRequest)
}

/**
 * Records the user's decision and sends the response: a redirect to the client's
 * callback (or a form for `oob`).
 */
export async function completeAuthorization(
  endpoint: Pick<AuthorizationEndpoint, 'createAuthorizationResponse' | 'createDenialResponse'>,
  req: ExpressRequestLike,
  res: ExpressResponseLike,
  decision: AuthorizationDecision,
  options: ExpressAdapterOptions = {},
): Promise<void> {
  const oauthRequest = await read(req, options)
  if (isRejection(oauthRequest)) return sendOAuthResponse(res, oauthRequest.response)
  sendOAuthResponse(res, await decideAuthorization(endpoint, oauthRequest, decision))
}

export type { AuthorizationDecision }
