import { ParameterRejectedError } from '../errors.js'

/** A name/value pair. Lists of pairs keep order and repeats, both of which matter. */
export type Param = [name: string, value: string]

// RFC 3986 unreserved characters. Measured (bench/): V8's compiled regular expression
// beats a charCodeAt loop over a lookup table on the strings of a real request.
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/
// encodeURIComponent leaves these five alone; RFC 5849 §3.6 encodes them.
const ENCODE_EXTRA = /[!'()*]/g
const NEEDS_EXTRA = /[!'()*]/
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/
// Raw whitespace and control characters never occur in a valid query string or form body.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const FORBIDDEN_FORM_CHARS = /[\u0000-\u0020\u007f]/

function hexEscape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`
}

/**
 * Percent-encodes a string as RFC 5849 §3.6 requires: UTF-8, then every octet outside
 * the unreserved set `ALPHA / DIGIT / "-" / "." / "_" / "~"` becomes `%XX` (upper case).
 *
 * @param value - Any well-formed Unicode string.
 * @returns The encoded string.
 * @throws {ParameterRejectedError} if `value` holds a lone surrogate (not encodable as UTF-8).
 * @example
 * ```ts
 * escape('Ladies + Gentlemen') // 'Ladies%20%2B%20Gentlemen'
 * ```
 */
export function escape(value: string): string {
  if (UNRESERVED.test(value)) return value
  let encoded: string
  try {
    encoded = encodeURIComponent(value)
  } catch (cause) {
    throw new ParameterRejectedError('Value is not well-formed Unicode', { cause })
  }
  return NEEDS_EXTRA.test(encoded) ? encoded.replace(ENCODE_EXTRA, hexEscape) : encoded
}

/**
 * Percent-decodes a string (RFC 5849 §3.6, RFC 3986 §2.1). `+` is left as is: it means
 * a space only in form data (see {@link parseForm}). Decoding is strict.
 *
 * @param value - An encoded string.
 * @returns The decoded string.
 * @throws {ParameterRejectedError} on a `%` not followed by two hex digits, or when the
 *   decoded octets are not valid UTF-8.
 * @example
 * ```ts
 * unescape('r%20b') // 'r b'
 * ```
 */
export function unescape(value: string): string {
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch (cause) {
    // decodeURIComponent rejects both a bad escape and bad UTF-8: tell them apart only here.
    if (BAD_ESCAPE.test(value)) {
      throw new ParameterRejectedError('Invalid percent-encoding', {
        advice: 'every % must be followed by two hexadecimal digits',
      })
    }
    throw new ParameterRejectedError('Percent-encoded octets are not valid UTF-8', { cause })
  }
}

/**
 * Decodes `application/x-www-form-urlencoded` text (a query string or a form body) into
 * ordered pairs, keeping repeats and empty values. `+` is a space; empty segments
 * (`a=1&&b=2`) are skipped; a segment without `=` gives an empty value.
 *
 * @param text - The query (without `?`) or body.
 * @returns The decoded pairs in order.
 * @throws {ParameterRejectedError} on invalid percent-encoding, invalid UTF-8, or raw
 *   whitespace and control characters (which a well-formed request never contains).
 * @example
 * ```ts
 * parseForm('a3=2+q&c2') // [['a3', '2 q'], ['c2', '']]
 * ```
 */
export function parseForm(text: string): Param[] {
  const out: Param[] = []
  if (text === '') return out
  if (FORBIDDEN_FORM_CHARS.test(text)) {
    throw new ParameterRejectedError('Form data contains whitespace or control characters', {
      advice: 'percent-encode spaces and control characters',
    })
  }
  for (const segment of text.split('&')) {
    if (segment === '') continue
    const eq = segment.indexOf('=')
    const rawName = eq === -1 ? segment : segment.slice(0, eq)
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1)
    out.push([decodeFormComponent(rawName), decodeFormComponent(rawValue)])
  }
  return out
}

function decodeFormComponent(raw: string): string {
  return unescape(raw.includes('+') ? raw.replace(/\+/g, ' ') : raw)
}

/**
 * Encodes pairs as `application/x-www-form-urlencoded` text: each name and value
 * percent-encoded as in {@link escape}, except that a space becomes `+`.
 *
 * @param params - Ordered pairs.
 * @returns `name=value` segments joined with `&`.
 * @example
 * ```ts
 * formatForm([['status', 'hello world'], ['x', '']]) // 'status=hello+world&x='
 * ```
 */
export function formatForm(params: readonly (readonly [string, string])[]): string {
  let out = ''
  for (let i = 0; i < params.length; i++) {
    const [name, value] = params[i] as readonly [string, string]
    if (i > 0) out += '&'
    out += `${formEscape(name)}=${formEscape(value)}`
  }
  return out
}

function formEscape(value: string): string {
  const encoded = escape(value)
  return encoded.includes('%20') ? encoded.replace(/%20/g, '+') : encoded
}

/**
 * Tells whether a `Content-Type` value is `application/x-www-form-urlencoded`, with or
 * without parameters such as `charset` (RFC 5849 §3.4.1.3.1 signs only such bodies).
 *
 * @param contentType - The header value, if any.
 * @returns `true` for a form content type.
 * @example
 * ```ts
 * isFormContentType('application/x-www-form-urlencoded; charset=UTF-8') // true
 * ```
 */
export function isFormContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false
  const semi = contentType.indexOf(';')
  const essence = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  return essence === 'application/x-www-form-urlencoded'
}
