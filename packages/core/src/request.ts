import { RequestTooLargeError } from './errors.js'
import type { HeadersLike } from './signature/collect.js'

/**
 * A framework-neutral HTTP request, as every adapter produces it.
 *
 * - `url` is absolute, exactly as the client addressed it (scheme, host, port, path and
 *   query): the base string URI (RFC 5849 §3.4.1.2) is built from it.
 * - `headers` has lower-case names; repeated headers are joined with `, `.
 * - `body` is the raw body text when it is `application/x-www-form-urlencoded` (it is
 *   signed) or when a body hash must be checked; `undefined` otherwise.
 */
export interface OAuthRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /**
   * The peer address of the connection, when the adapter knows it. Only used to make
   * sure the `allowInsecureLoopback` exemption applies to real loopback connections and
   * not to a spoofed `Host: 127.0.0.1`.
   */
  readonly clientAddress?: string | undefined
}

/** A framework-neutral HTTP response, as every endpoint returns it. */
export interface OAuthResponse {
  status: number
  /** Header names as they should be sent. */
  headers: Record<string, string>
  /** `undefined` for a response without a body (a redirect). */
  body: string | undefined
}

/** Size limits applied to incoming requests. Every endpoint enforces them. */
export interface RequestLimits {
  /** Longest accepted `Authorization` header, in characters. Default 8 KiB. */
  readonly maxAuthorizationHeaderLength?: number | undefined
  /** Largest accepted body, in bytes (UTF-8). Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** Most parameters accepted across query, header and body. Default 100. */
  readonly maxParameters?: number | undefined
}

/** The defaults of {@link RequestLimits}. */
export const DEFAULT_LIMITS: Required<{ [K in keyof RequestLimits]: number }> = Object.freeze({
  maxAuthorizationHeaderLength: 8 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxParameters: 100,
})

/** Input of {@link createOAuthRequest}. */
export interface OAuthRequestInit {
  readonly method: string
  readonly url: string | URL
  readonly headers?: HeadersLike | undefined
  readonly body?: string | URLSearchParams | null | undefined
  readonly clientAddress?: string | undefined
}

/**
 * Builds an {@link OAuthRequest} from plain parts: header names lower-cased, repeated
 * values joined, a `URLSearchParams` body serialised.
 *
 * @param init - Method, absolute URL, headers, body.
 * @returns The request.
 * @throws {TypeError} when the URL is not absolute.
 * @example
 * ```ts
 * const req = createOAuthRequest({
 *   method: 'GET',
 *   url: 'https://api.example.com/photos?size=original',
 *   headers: { Authorization: 'OAuth oauth_consumer_key="…", …' },
 * })
 * ```
 */
export function createOAuthRequest(init: OAuthRequestInit): OAuthRequest {
  const url = typeof init.url === 'string' ? init.url : init.url.href
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    throw new TypeError('OAuthRequest url must be absolute (scheme://host/…)')
  }
  const headers: Record<string, string> = {}
  // Own properties only, defined rather than assigned: a header named `constructor` or
  // `__proto__` is a header like any other, not a member of Object.prototype.
  const add = (name: string, text: string): void => {
    const previous = Object.hasOwn(headers, name) ? headers[name] : undefined
    Object.defineProperty(headers, name, {
      value: previous === undefined ? text : `${previous}, ${text}`,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  const source = init.headers
  if (source !== undefined) {
    if (typeof Headers !== 'undefined' && source instanceof Headers) {
      source.forEach((value, name) => {
        add(name, value)
      })
    } else {
      for (const [name, value] of Object.entries(
        source as Record<string, string | readonly string[] | undefined>,
      )) {
        if (value === undefined) continue
        add(name.toLowerCase(), typeof value === 'string' ? value : value.join(', '))
      }
    }
  }
  const body = init.body === null || init.body === undefined ? undefined : String(init.body)
  return {
    method: init.method.toUpperCase(),
    url,
    headers,
    body,
    clientAddress: init.clientAddress,
  }
}

const encoder = new TextEncoder()

/**
 * Checks a request against the limits.
 *
 * @throws {RequestTooLargeError} 400 for headers and parameter counts, 413 for the body.
 */
export function enforceLimits(
  req: OAuthRequest,
  limits: Required<{ [K in keyof RequestLimits]: number }>,
): void {
  const authorization = req.headers.authorization
  if (authorization !== undefined && authorization.length > limits.maxAuthorizationHeaderLength) {
    throw new RequestTooLargeError(
      `Authorization header exceeds ${limits.maxAuthorizationHeaderLength} characters`,
      { status: 400 },
    )
  }
  const body = req.body
  // A UTF-8 string is at most 3 bytes per UTF-16 code unit: skip the exact count when safe.
  if (body !== undefined && body.length * 3 > limits.maxBodyBytes) {
    if (encoder.encode(body).length > limits.maxBodyBytes) {
      throw new RequestTooLargeError(`Body exceeds ${limits.maxBodyBytes} bytes`, { status: 413 })
    }
  }
}
