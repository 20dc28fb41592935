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
  type AuthorizationDecision,
  decideAuthorization,
  isRejection,
  readOrRejection,
} from '@x/oauth1-core/http'
import {
  type FetchAdapterOptions,
  type RequestContext,
  type ToOAuthRequestOptions,
  toOAuthRequestNow,
} from './request.js'

/** Turns an endpoint's `OAuthResponse` into a Fetch `Response`. */
export function sendOAuthResponse(res: OAuthResponse): Response {
  return new Response(res.body ?? null, { status: res.status, headers: res.headers })
}

/** A request that passed the checks: `oauth1` is the core's result (client, token, realms, request). */
export interface Authorized<T> {
  readonly ok: true
  readonly oauth1: T
}

/** A guard: the result, or the error `Response` to return as is. */
export type Guard<T> = (
  request: Request,
  context?: RequestContext,
) => Promise<Authorized<T> | Response>

// Answers at once unless a body is read: a guard on a synchronous store then verifies a
// GET without an extra promise.
function read(
  request: Request,
  options: ToOAuthRequestOptions,
): OAuthRequest | Response | Promise<OAuthRequest | Response> {
  const req = readOrRejection(() => toOAuthRequestNow(request, options))
  return req instanceof Promise ? req.then(responseIfRejected) : responseIfRejected(req)
}

function responseIfRejected(req: OAuthRequest | RejectedRequest): OAuthRequest | Response {
  return isRejection(req) ? sendOAuthResponse(req.response) : req
}

/** Serves a token endpoint: `handler((req) => server.createRequestTokenResponse(req))`. */
export function handler(
  endpoint: (req: OAuthRequest, request: Request) => Promise<OAuthResponse>,
  options: FetchAdapterOptions = {},
): (request: Request, context?: RequestContext) => Promise<Response> {
  return async (request, context) => {
    const req = await read(request, { ...options, ...context })
    return req instanceof Response ? req : sendOAuthResponse(await endpoint(req, request))
  }
}

/** Guards a three-legged protected resource. */
export function requireOAuth(
  endpoint: Pick<ResourceEndpoint, 'validateProtectedResourceRequest'>,
  options: FetchAdapterOptions & { readonly realms?: readonly string[] | undefined } = {},
): Guard<AuthorizedResourceRequest> {
  return async (request, context) => {
    let req = read(request, { ...options, ...context })
    if (req instanceof Promise) req = await req
    if (req instanceof Response) return req
    const result = await endpoint.validateProtectedResourceRequest(req, { realms: options.realms })
    return result.ok ? { ok: true, oauth1: result } : sendOAuthResponse(result.response)
  }
}

/** Guards a two-legged route (signature only). */
export function requireSignature(
  endpoint: Pick<SignatureOnlyEndpoint, 'validateRequest'>,
  options: FetchAdapterOptions = {},
): Guard<VerifiedRequest> {
  return async (request, context) => {
    let req = read(request, { ...options, ...context })
    if (req instanceof Promise) req = await req
    if (req instanceof Response) return req
    const result = await endpoint.validateRequest(req)
    return result.ok ? { ok: true, oauth1: result } : sendOAuthResponse(result.response)
  }
}

/** What the consent page shows (realms, client of the request token), or the error `Response`. */
export async function authorizationDetails(
  endpoint: Pick<AuthorizationEndpoint, 'getRealmsAndCredentials'>,
  request: Request,
  options: ToOAuthRequestOptions = {},
): Promise<AuthorizationDetails | Response> {
  const req = await read(request, options)
  if (req instanceof Response) return req
  const details = await endpoint.getRealmsAndCredentials(req)
  return details.ok ? details : sendOAuthResponse(details.response)
}

/** Records the decision: a redirect to the client's callback (a form for `oob`), or the error. */
export async function completeAuthorization(
  endpoint: Pick<AuthorizationEndpoint, 'createAuthorizationResponse' | 'createDenialResponse'>,
  request: Request,
  decision: AuthorizationDecision,
  options: ToOAuthRequestOptions = {},
): Promise<Response> {
  const req = await read(request, options)
  if (req instanceof Response) return req
  return sendOAuthResponse(await decideAuthorization(endpoint, req, decision))
}

export type { AuthorizationDecision }
