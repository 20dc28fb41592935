import { ParameterRejectedError } from '../errors.js'
import { formatForm, isFormContentType } from '../signature/encoding.js'
import { type HeaderSource, headerValue } from './headers.js'

/**
 * Whether an adapter should read the body for the OAuth layer: form bodies are signed
 * (RFC 5849 §3.4.1.3.1), and any other body is needed when the request carries
 * `oauth_body_hash`. Other bodies are left to the application, unread.
 *
 * @example
 * ```ts
 * shouldReadBody('POST', '/x', { 'content-type': 'application/x-www-form-urlencoded' }) // true
 * ```
 */
export function shouldReadBody(method: string, target: string, headers: HeaderSource): boolean {
  const m = method.toUpperCase()
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') {
    // Bodies on these are unusual but may be signed form data (oauthlib accepts them).
    const length = headerValue(headers, 'content-length')
    if (length === undefined || length === '0') return false
  }
  if (isFormContentType(headerValue(headers, 'content-type'))) return true
  return (
    (headerValue(headers, 'authorization') ?? '').includes('oauth_body_hash') ||
    target.includes('oauth_body_hash')
  )
}

/**
 * Whether a request looks like an OAuth request at all (protocol parameters in the
 * header or query); adapters may use it to let other requests through untouched.
 */
export function isOAuthRequestCandidate(target: string, headers: HeaderSource): boolean {
  return /^oauth\s/i.test(headerValue(headers, 'authorization') ?? '') || /[?&]oauth_/.test(target)
}

/**
 * Re-serialises a body that a body parser already consumed (flat string values, or
 * arrays of them for repeated names) into form text. Nested objects (an "extended"
 * parser's `a[b]=c`) cannot be mapped back to what was signed and are refused.
 *
 * @param parsed - The parser's result.
 * @returns Form text, or `undefined` when there is nothing usable.
 * @throws {ParameterRejectedError} for nested values.
 * @example
 * ```ts
 * serializeParsedForm({ a: '1', b: ['2', '3'] }) // 'a=1&b=2&b=3'
 * ```
 */
export function serializeParsedForm(parsed: unknown): string | undefined {
  if (typeof parsed === 'string') return parsed
  if (parsed === null || typeof parsed !== 'object') return undefined
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === 'string') pairs.push([name, value])
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      for (const v of value as string[]) pairs.push([name, v])
    } else {
      throw new ParameterRejectedError(
        'A body parser turned the form into nested values; the signed form cannot be rebuilt',
        {
          advice:
            'mount the OAuth adapter before the body parser, or use a flat (non-extended) parser',
        },
      )
    }
  }
  return formatForm(pairs)
}
