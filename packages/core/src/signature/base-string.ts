import { ParameterRejectedError } from '../errors.js'
import { escape } from './encoding.js'

const URI_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)/
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' }

interface Authority {
  host: string
  port: string | undefined
}

function parseAuthority(authority: string): Authority {
  const at = authority.lastIndexOf('@')
  const hostPort = at === -1 ? authority : authority.slice(at + 1)
  let host: string
  let rest: string
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close === -1) throw new ParameterRejectedError('Invalid URI: unterminated IPv6 host')
    host = hostPort.slice(0, close + 1)
    rest = hostPort.slice(close + 1)
    if (rest !== '' && !rest.startsWith(':')) throw new ParameterRejectedError('invalid port')
    rest = rest.slice(1)
  } else {
    const colon = hostPort.indexOf(':')
    host = colon === -1 ? hostPort : hostPort.slice(0, colon)
    rest = colon === -1 ? '' : hostPort.slice(colon + 1)
  }
  if (host === '') throw new ParameterRejectedError('missing host')
  if (rest === '') return { host: host.toLowerCase(), port: undefined }
  if (!/^[0-9]{1,5}$/.test(rest)) throw new ParameterRejectedError('invalid port')
  const port = Number(rest)
  if (port < 1 || port > 65535) throw new ParameterRejectedError('invalid port')
  return { host: host.toLowerCase(), port: String(port) }
}

/**
 * Builds the base string URI of RFC 5849 §3.4.1.2 from the URL the client addressed:
 * scheme and host lower-cased, the default port of http (80) and https (443) dropped,
 * userinfo, query and fragment dropped, an empty path made `/`. The path is kept exactly
 * as sent (no dot-segment removal, no re-encoding); only spaces become `%20`.
 *
 * @param uri - The absolute request URI.
 * @param host - Optional `Host` header value (`name[:port]`) that replaces the URI's
 *   host and port.
 * @returns The base string URI.
 * @throws {ParameterRejectedError} with message `missing scheme`, `missing host` or
 *   `invalid port`.
 * @example
 * ```ts
 * baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123') // 'http://example.com/r%20v/X'
 * ```
 */
export function baseStringUri(uri: string, host?: string | null): string {
  const match = URI_SHAPE.exec(uri)
  if (match === null) throw new ParameterRejectedError('missing scheme')
  const scheme = (match[1] as string).toLowerCase()
  const authority = match[2]
  let path = match[3] as string
  if (host === undefined || host === null) {
    if (authority === undefined || authority === '') {
      throw new ParameterRejectedError('missing host')
    }
  }
  const { host: name, port } = parseAuthority(host ?? (authority as string))
  if (path === '') path = '/'
  let out = `${scheme}://${name}`
  if (port !== undefined && DEFAULT_PORTS[scheme] !== port) out += `:${port}`
  out += path
  return out.includes(' ') ? out.replace(/ /g, '%20') : out
}

/**
 * Normalizes request parameters (RFC 5849 §3.4.1.3.2): names and values percent-encoded,
 * sorted by encoded name then encoded value (byte order), joined as `name=value` with `&`.
 *
 * @param params - Decoded pairs, as {@link collectParameters} returns them.
 * @returns The normalized parameter string.
 * @example
 * ```ts
 * normalizeParameters([['b', '2'], ['a', 'x y']]) // 'a=x%20y&b=2'
 * ```
 */
export function normalizeParameters(params: readonly (readonly [string, string])[]): string {
  const n = params.length
  const encoded = new Array<[string, string]>(n)
  for (let i = 0; i < n; i++) {
    const pair = params[i] as readonly [string, string]
    encoded[i] = [escape(pair[0]), escape(pair[1])]
  }
  if (n <= 32) {
    // Requests carry a handful of parameters: an insertion sort beats the generic one.
    for (let i = 1; i < n; i++) {
      const x = encoded[i] as [string, string]
      let j = i - 1
      while (j >= 0 && compareEncoded(encoded[j] as [string, string], x) > 0) {
        encoded[j + 1] = encoded[j] as [string, string]
        j--
      }
      encoded[j + 1] = x
    }
  } else {
    encoded.sort(compareEncoded)
  }
  let out = ''
  for (let i = 0; i < n; i++) {
    const pair = encoded[i] as [string, string]
    if (i > 0) out += '&'
    out += `${pair[0]}=${pair[1]}`
  }
  return out
}

function compareEncoded(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
}

/**
 * Concatenates the signature base string (RFC 5849 §3.4.1.1): the upper-cased method,
 * the base string URI and the normalized parameters, each percent-encoded, joined by `&`.
 *
 * @param method - HTTP method (any case).
 * @param uri - The base string URI ({@link baseStringUri}).
 * @param normalizedParameters - The output of {@link normalizeParameters}.
 * @returns The signature base string.
 * @example
 * ```ts
 * signatureBaseString('get', 'http://example.com/', 'a=1') // 'GET&http%3A%2F%2Fexample.com%2F&a%3D1'
 * ```
 */
export function signatureBaseString(
  method: string,
  uri: string,
  normalizedParameters: string,
): string {
  return `${escape(method.toUpperCase())}&${escape(uri)}&${escape(normalizedParameters)}`
}
