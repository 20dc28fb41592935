import { parseAuthorizationHeader } from './authorization-header.js'
import { isFormContentType, type Param, parseForm } from './encoding.js'

/**
 * Request headers in any common shape: a Fetch `Headers`, or a plain record whose keys
 * may use any case (as Node's `IncomingHttpHeaders`).
 */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Reads one header from a {@link HeadersLike}, case-insensitively. Repeated values are
 * joined with `, ` as RFC 9110 §5.3 allows.
 *
 * @param headers - The headers.
 * @param name - Header name, lower case.
 * @returns The value, or `undefined` when absent.
 * @example
 * ```ts
 * getHeader({ 'Content-Type': 'text/plain' }, 'content-type') // 'text/plain'
 * ```
 */
export function getHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined
  if (
    typeof (headers as Headers).get === 'function' &&
    typeof Headers !== 'undefined' &&
    headers instanceof Headers
  ) {
    return headers.get(name) ?? undefined
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>
  let value = record[name]
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key]
        break
      }
    }
  }
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.join(', ')
}

/** Input of {@link collectParameters}. */
export interface CollectParametersInput {
  /** The query string without `?` (still encoded). */
  readonly uriQuery?: string | undefined
  /**
   * The entity body: raw form text, used only when the `Content-Type` header is
   * `application/x-www-form-urlencoded`; or already-decoded pairs, always used.
   */
  readonly body?: string | readonly (readonly [string, string])[] | undefined
  /** Request headers; `Authorization` and `Content-Type` are read. */
  readonly headers?: HeadersLike | undefined
  /** Leave `oauth_signature` out (default `true`). */
  readonly excludeOauthSignature?: boolean | undefined
  /** Keep the header's `realm` (default `false`; the base string never includes it). */
  readonly withRealm?: boolean | undefined
}

/**
 * Collects the request parameters that are signed (RFC 5849 §3.4.1.3.1): the query
 * component, the `Authorization: OAuth` header (without `realm` unless asked, and without
 * `oauth_signature` unless asked) and a form-encoded body. Every value is decoded exactly
 * once (unlike oauthlib, which decodes `oauth_*` values from the query and body twice).
 *
 * @param input - Query, body and headers.
 * @returns Decoded pairs in the order query, header, body.
 * @throws {ParameterRejectedError} on malformed encoding or a malformed or non-OAuth
 *   `Authorization` header.
 * @example
 * ```ts
 * collectParameters({ uriQuery: 'a=1', headers: { authorization: 'OAuth oauth_nonce="n"' } })
 * // [['a', '1'], ['oauth_nonce', 'n']]
 * ```
 */
export function collectParameters(input: CollectParametersInput): Param[] {
  const excludeSignature = input.excludeOauthSignature ?? true
  const out: Param[] = input.uriQuery ? parseForm(input.uriQuery) : []
  const authorization = getHeader(input.headers, 'authorization')
  if (authorization !== undefined) {
    const parsed = parseAuthorizationHeader(authorization)
    for (const pair of parsed.params) out.push(pair)
    if (input.withRealm && parsed.realm !== undefined) out.push(['realm', parsed.realm])
  }
  const body = input.body
  if (typeof body === 'string') {
    if (body !== '' && isFormContentType(getHeader(input.headers, 'content-type'))) {
      for (const pair of parseForm(body)) out.push(pair)
    }
  } else if (body !== undefined) {
    for (const [name, value] of body) out.push([name, value])
  }
  return excludeSignature ? out.filter((pair) => pair[0] !== 'oauth_signature') : out
}
