import {
  OAUTHLIB_ERROR,
  type OAuth1Error,
  StoreUnavailableError,
  TimestampRefusedError,
} from './errors.js'
import type { OAuthResponse } from './request.js'
import type { Param } from './signature/encoding.js'
import { formatForm } from './signature/encoding.js'

const FORM = 'application/x-www-form-urlencoded'
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Error texts may echo request input; a lone surrogate there must not make encoding throw. */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD')
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** Realm of the `WWW-Authenticate` challenge sent with a 401. */
  readonly realm?: string | undefined
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}

/**
 * The serialisation of an error as this library sends it (OAuth Problem Reporting plus
 * oauthlib's fields). Pairs, in order: `oauth_problem`, then `oauth_parameters_absent` /
 * `oauth_parameters_rejected`, `oauth_acceptable_timestamps`, `oauth_problem_advice`
 * where they apply, then `error` and `error_description`.
 *
 * @param error - The error.
 * @returns The pairs.
 * @example
 * ```ts
 * errorParams(new ParameterAbsentError(['oauth_nonce']))
 * ```
 */
export function errorParams(error: OAuth1Error): Param[] {
  const params: Param[] = [['oauth_problem', error.code]]
  if (error.parameters.length > 0) {
    const name =
      error.code === 'parameter_absent' ? 'oauth_parameters_absent' : 'oauth_parameters_rejected'
    params.push([name, wellFormed(error.parameters.join('&'))])
  }
  if (error instanceof TimestampRefusedError && error.acceptableTimestamps !== undefined) {
    params.push(['oauth_acceptable_timestamps', error.acceptableTimestamps.join('-')])
  }
  if (error.advice !== undefined) params.push(['oauth_problem_advice', wellFormed(error.advice)])
  params.push(['error', OAUTHLIB_ERROR[error.code]])
  if (error.message !== '') params.push(['error_description', wellFormed(error.message)])
  return params
}

/**
 * The one place that turns an {@link OAuth1Error} into an HTTP response: status from the
 * error, a form-encoded body ({@link errorParams}), `Cache-Control: no-store`,
 * `WWW-Authenticate: OAuth realm="…"` on a 401 and `Retry-After` on a 503.
 *
 * @param error - The error.
 * @param options - Realm of the challenge.
 * @returns The response.
 * @example
 * ```ts
 * errorResponse(new SignatureInvalidError(), { realm: 'Photos' }).status // 401
 * ```
 */
export function errorResponse(
  error: OAuth1Error,
  options: ErrorResponseOptions = {},
): OAuthResponse {
  const headers: Record<string, string> = { 'Content-Type': FORM, 'Cache-Control': 'no-store' }
  if (error.status === 401)
    headers['WWW-Authenticate'] = `OAuth realm=${quote(options.realm ?? '')}`
  if (error instanceof StoreUnavailableError) headers['Retry-After'] = String(error.retryAfter)
  return { status: error.status, headers, body: formatForm(errorParams(error)) }
}

/**
 * A form-encoded success response, as the token endpoints send (RFC 5849 §2.1, §2.3),
 * with `Cache-Control: no-store`.
 *
 * @param params - The response parameters.
 * @param status - Default 200.
 * @returns The response.
 * @example
 * ```ts
 * formResponse([['oauth_token', 't'], ['oauth_token_secret', 's']])
 * ```
 */
export function formResponse(
  params: readonly (readonly [string, string])[],
  status = 200,
): OAuthResponse {
  return {
    status,
    headers: { 'Content-Type': FORM, 'Cache-Control': 'no-store' },
    body: formatForm(params),
  }
}

/**
 * Appends parameters to a URI's query (keeping its existing query and fragment), as the
 * authorization step does with the callback (RFC 5849 §2.2).
 *
 * @param uri - An absolute URI.
 * @param params - Pairs to append.
 * @returns The new URI.
 * @example
 * ```ts
 * appendQueryParams('https://client.example.com/cb?x=1', [['oauth_verifier', 'v']])
 * // 'https://client.example.com/cb?x=1&oauth_verifier=v'
 * ```
 */
export function appendQueryParams(
  uri: string,
  params: readonly (readonly [string, string])[],
): string {
  if (params.length === 0) return uri
  const hash = uri.indexOf('#')
  const base = hash === -1 ? uri : uri.slice(0, hash)
  const fragment = hash === -1 ? '' : uri.slice(hash)
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${formatForm(params)}${fragment}`
}

/**
 * A redirect (302) with `Cache-Control: no-store`.
 *
 * @param location - Where to.
 * @returns The response.
 * @example
 * ```ts
 * redirectResponse('https://client.example.com/cb?oauth_token=t&oauth_verifier=v')
 * ```
 */
export function redirectResponse(location: string): OAuthResponse {
  return {
    status: 302,
    headers: { Location: location, 'Cache-Control': 'no-store' },
    body: undefined,
  }
}
