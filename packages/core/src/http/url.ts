import { ParameterRejectedError } from '../errors.js'
import { type HeaderSource, headerValue } from './headers.js'

/** What an adapter knows about the connection and the request line. */
export interface RequestUrlInput {
  /** Whether the connection itself is TLS. */
  readonly encrypted: boolean
  /** The request target as received: origin-form (`/path?query`) or absolute-form. */
  readonly target: string
  readonly headers: HeaderSource
}

/** How the URL the client addressed is found (DESIGN decision 6). */
export interface RequestUrlOptions {
  /**
   * Trust the first hop's `Forwarded` (RFC 7239) or `X-Forwarded-Proto`/`-Host`/`-Port`
   * headers. Only behind a proxy that sets them: a client could forge them otherwise.
   */
  readonly trustProxy?: boolean | undefined
  /**
   * The public origin (and optional path prefix) of the provider, e.g.
   * `https://api.example.com` or `https://example.com/oauth-app`. Wins over everything.
   */
  readonly publicUrl?: string | URL | undefined
}

// Host and port as they may appear in a Host header: a name, an IPv4 or a bracketed IPv6.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]+)(?::[0-9]{1,5})?$/
const SCHEME = /^https?$/i

function firstValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const first = value.split(',')[0]?.trim()
  return first === '' ? undefined : first
}

/** The first element of an RFC 7239 `Forwarded` header, as lower-cased name → unquoted value. */
function parseForwarded(value: string): Record<string, string> {
  const element = value.split(',')[0] ?? ''
  const out: Record<string, string> = {}
  for (const pair of element.split(';')) {
    const eq = pair.indexOf('=')
    if (eq === -1) continue
    const name = pair.slice(0, eq).trim().toLowerCase()
    let v = pair.slice(eq + 1).trim()
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2)
      v = v.slice(1, -1).replace(/\\(.)/g, '$1')
    out[name] = v
  }
  return out
}

function checkedHost(host: string | undefined, what: string): string {
  if (host === undefined || !HOST.test(host)) {
    throw new ParameterRejectedError(`Missing or malformed ${what}`)
  }
  return host
}

/**
 * Rebuilds the absolute URL the client addressed (the input of the base string URI,
 * RFC 5849 §3.4.1.2): from `publicUrl` when given; else, with `trustProxy`, from the
 * first hop of `Forwarded` or `X-Forwarded-*`; else from the connection (TLS means
 * https) and the `Host` header. The path and query are kept exactly as received.
 *
 * @param input - Connection, request target, headers.
 * @param options - `trustProxy`, `publicUrl`.
 * @returns The absolute URL.
 * @throws {ParameterRejectedError} for a missing or malformed host.
 * @example
 * ```ts
 * requestUrl({ encrypted: false, target: '/photos?size=large', headers: { host: 'api.example.com' } })
 * // 'http://api.example.com/photos?size=large'
 * ```
 */
export function requestUrl(input: RequestUrlInput, options: RequestUrlOptions = {}): string {
  let target = input.target
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
    // Absolute-form: keep only path and query; the authority is decided below.
    const rest = target.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '')
    target = rest === '' ? '/' : rest
  }
  if (!target.startsWith('/')) target = `/${target}`

  if (options.publicUrl !== undefined) {
    const base = typeof options.publicUrl === 'string' ? options.publicUrl : options.publicUrl.href
    return `${base.replace(/\/+$/, '')}${target}`
  }

  let scheme = input.encrypted ? 'https' : 'http'
  let host = headerValue(input.headers, 'host') ?? headerValue(input.headers, ':authority')
  if (options.trustProxy) {
    const forwarded = headerValue(input.headers, 'forwarded')
    if (forwarded !== undefined) {
      const first = parseForwarded(forwarded)
      if (first.proto !== undefined && SCHEME.test(first.proto)) scheme = first.proto.toLowerCase()
      if (first.host !== undefined) host = first.host
    } else {
      const proto = firstValue(headerValue(input.headers, 'x-forwarded-proto'))
      if (proto !== undefined && SCHEME.test(proto)) scheme = proto.toLowerCase()
      const forwardedHost = firstValue(headerValue(input.headers, 'x-forwarded-host'))
      if (forwardedHost !== undefined) host = forwardedHost
      const port = firstValue(headerValue(input.headers, 'x-forwarded-port'))
      if (port !== undefined && /^[0-9]{1,5}$/.test(port) && host !== undefined) {
        host = `${host.replace(/:[0-9]+$/, '')}:${port}`
      }
    }
  }
  return `${scheme}://${checkedHost(host, 'Host header')}${target}`
}
