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
export type KoaAdapterOptions = AdapterOptions

/** The parts of a Koa context the adapter uses (structural: no dependency on Koa's types). */
export interface KoaContextLike {
  readonly req: IncomingMessageLike
  readonly method: string
  readonly originalUrl: string
  /** Koa's request: a body parser, if any, left the parsed body in its `body`. */
  readonly request: object
  readonly state: object
  status: number
  body: unknown
  set(field: string, value: string): void
}

/** Koa's `next`. */
export type KoaNext = () => Promise<unknown>

/** A Koa middleware. */
export type KoaMiddleware = (ctx: KoaContextLike, next: KoaNext) => Promise<unknown>

/** What {@link requireOAuth} (three-legged) or {@link requireSignature} (two-legged) leave in `ctx.state.oauth1`. */
export type OAuth1State = AuthorizedResourceRequest | VerifiedRequest

/**
 * The neutral request of a Koa context: URL as the client addressed it, headers, the raw
 * form body (read once, with `bodyLimit`), the peer address.
 */
export function toOAuthRequest(
  ctx: KoaContextLike,
  options: KoaAdapterOptions = {},
): Promise<OAuthRequest> {
  return readIncomingMessage(ctx.req, {
    ...options,
    target: ctx.originalUrl,
    parsedBody: (ctx.request as { readonly body?: unknown }).body,
  })
}

/** Sends an endpoint's response through Koa: status, headers, body. */
export function sendOAuthResponse(ctx: KoaContextLike, res: OAuthResponse): void {
  ctx.status = res.status
  for (const [name, value] of Object.entries(res.headers)) ctx.set(name, value)
  // '' rather than null: Koa turns a null body into a 204.
  ctx.body = res.body ?? ''
}

// CORS preflights carry no credentials. HEAD is not exempt: frameworks route it to the
// GET handler, so a guard must verify it like GET (the method is part of the signature).
const isPreflight = (ctx: KoaContextLike) => ctx.method === 'OPTIONS'
const passesThrough = (ctx: KoaContextLike) => ctx.method === 'HEAD' || isPreflight(ctx)

// Answers at once unless a body is read: a guard on a synchronous store then verifies a
// GET without an extra promise.
const read = (
  ctx: KoaContextLike,
  options: KoaAdapterOptions,
): OAuthRequest | RejectedRequest | Promise<OAuthRequest | RejectedRequest> =>
  readOrRejection(() =>
    readIncomingMessageNow(ctx.req, {
      ...options,
      target: ctx.originalUrl,
      parsedBody: (ctx.request as { readonly body?: unknown }).body,
    }),
  )

/**
 * Serves a token endpoint, e.g.
 * `handler((req) => server.createRequestTokenResponse(req))`.
 */
export function handler(
  endpoint: (req: OAuthRequest, ctx: KoaContextLike) => Promise<OAuthResponse>,
  options: KoaAdapterOptions = {},
): KoaMiddleware {
  return async (ctx, next) => {
    if (passesThrough(ctx)) return next()
    const req = await read(ctx, options)
    return sendOAuthResponse(ctx, isRejection(req) ? req.response : await endpoint(req, ctx))
  }
}

/**
 * Guards a three-legged protected route: on success `ctx.state.oauth1` holds the
 * validated request (client, token, resource owner, realms); on failure the error
 * response is sent and `next` is not called.
 */
export function requireOAuth(
  endpoint: Pick<ResourceEndpoint, 'validateProtectedResourceRequest'>,
  options: KoaAdapterOptions & { readonly realms?: readonly string[] | undefined } = {},
): KoaMiddleware {
  return async (ctx, next) => {
    if (isPreflight(ctx)) return next()
    let req = read(ctx, options)
    if (req instanceof Promise) req = await req
    const result = isRejection(req)
      ? req
      : await endpoint.validateProtectedResourceRequest(req, { realms: options.realms })
    if (!result.ok) return sendOAuthResponse(ctx, result.response)
    ;(ctx.state as { oauth1?: OAuth1State }).oauth1 = result
    return next()
  }
}

/** Guards a two-legged route (signature only); `ctx.state.oauth1` as in {@link requireOAuth}. */
export function requireSignature(
  endpoint: Pick<SignatureOnlyEndpoint, 'validateRequest'>,
  options: KoaAdapterOptions = {},
): KoaMiddleware {
  return async (ctx, next) => {
    if (isPreflight(ctx)) return next()
    let req = read(ctx, options)
    if (req instanceof Promise) req = await req
    const result = isRejection(req) ? req : await endpoint.validateRequest(req)
    if (!result.ok) return sendOAuthResponse(ctx, result.response)
    ;(ctx.state as { oauth1?: OAuth1State }).oauth1 = result
    return next()
  }
}

/**
 * What the consent page shows: the realms and client of the request token in the query
 * or form. On failure, send `details.response`.
 */
export async function authorizationDetails(
  endpoint: Pick<AuthorizationEndpoint, 'getRealmsAndCredentials'>,
  ctx: KoaContextLike,
  options: KoaAdapterOptions = {},
): Promise<AuthorizationDetails | RejectedRequest> {
  const req = await read(ctx, options)
  return isRejection(req) ? req : endpoint.getRealmsAndCredentials(req)
}

/**
 * Records the user's decision and sends the response: a redirect to the client's
 * callback (or a form for `oob`).
 */
export async function completeAuthorization(
  endpoint: Pick<AuthorizationEndpoint, 'createAuthorizationResponse' | 'createDenialResponse'>,
  ctx: KoaContextLike,
  decision: AuthorizationDecision,
  options: KoaAdapterOptions = {},
): Promise<void> {
  const req = await read(ctx, options)
  if (isRejection(req)) return sendOAuthResponse(ctx, req.response)
  sendOAuthResponse(ctx, await decideAuthorization(endpoint, req, decision))
}

export type { AuthorizationDecision }
