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
// Form text made only of unreserved characters, separators and escapes: a component
// without `%` is then unreserved, its own RFC 5849 encoding.
const PLAIN_FORM = /^[A-Za-z0-9\-._~%=&]*$/

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
  let pct = value.indexOf('%')
  if (pct === -1) return value
  // Short values are decoded here, UTF-8 included, several times faster than
  // decodeURIComponent; a long one goes to it (a string built escape by escape grows
  // slowly), and so does anything malformed, which it rejects.
  if (value.length > JS_DECODE_LIMIT) return decodeStrict(value)
  let out = ''
  let from = 0
  while (pct !== -1) {
    const high = hexDigit(value.charCodeAt(pct + 1))
    const low = hexDigit(value.charCodeAt(pct + 2))
    if (high < 0 || low < 0) return decodeStrict(value)
    let next = pct + 3
    let char: string
    if (high < 8) {
      char = String.fromCharCode(high * 16 + low)
    } else {
      const point = utf8Sequence(value, pct, high * 16 + low)
      if (point < 0) return decodeStrict(value)
      next += utf8Length(point) * 3 - 3
      char = String.fromCodePoint(point)
    }
    out += pct > from ? value.slice(from, pct) + char : char
    from = next
    // Escapes often come in runs (`%20%26`, the octets of one character): the next one
    // is then right here, and the search is not needed. (Reading past the end would
    // make V8 deoptimize: check the length first.)
    pct = next < value.length && value.charCodeAt(next) === 0x25 ? next : value.indexOf('%', next)
  }
  return from < value.length ? out + value.slice(from) : out
}

// Values longer than this are decoded by decodeURIComponent.
const JS_DECODE_LIMIT = 256

/** The number of UTF-8 octets of a code point. */
function utf8Length(point: number): number {
  return point < 0x800 ? 2 : point < 0x10000 ? 3 : 4
}

/**
 * The code point of the escaped UTF-8 sequence whose lead octet `lead` is escaped at
 * `at`, or -1 when the sequence is not well-formed UTF-8 (RFC 3629: no overlong form,
 * no surrogate, nothing past U+10FFFF, no truncation).
 */
function utf8Sequence(value: string, at: number, lead: number): number {
  let count: number
  let point: number
  if (lead >= 0xc2 && lead <= 0xdf) {
    count = 1
    point = lead & 0x1f
  } else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2
    point = lead & 0x0f
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    count = 3
    point = lead & 0x07
  } else {
    return -1
  }
  let i = at + 3
  for (let k = 0; k < count; k++, i += 3) {
    if (value.charCodeAt(i) !== 0x25) return -1
    const high = hexDigit(value.charCodeAt(i + 1))
    const low = hexDigit(value.charCodeAt(i + 2))
    if (high < 8 || high > 11 || low < 0) return -1 // not 0x80-0xBF
    point = (point << 6) | ((high - 8) * 16 + low)
  }
  const min = count === 1 ? 0x80 : count === 2 ? 0x800 : 0x10000
  if (point < min || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return -1
  return point
}

const HEX_DIGITS = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) {
  HEX_DIGITS['0123456789ABCDEF'.charCodeAt(i)] = i
  HEX_DIGITS['0123456789abcdef'.charCodeAt(i)] = i
}

/** The value of a hexadecimal digit's char code, or -1 (also for NaN, past the end). */
function hexDigit(code: number): number {
  return code < 128 ? (HEX_DIGITS[code] as number) : -1
}

/** 1 at the char codes of RFC 3986 unreserved characters. @internal */
export const UNRESERVED_CODES: Uint8Array = new Uint8Array(128)
for (const c of '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') {
  UNRESERVED_CODES[c.charCodeAt(0)] = 1
}

function decodeStrict(value: string): string {
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
  parseFormInto(text, out, undefined)
  return out
}

/**
 * The signed parameters in their base string form, flat, three entries a pair: the name,
 * the value (both as {@link baseStringForm} gives them), and a tag: the index of the
 * protocol parameter the name is (in the `Authorization` header's list), or
 * {@link NO_TAG}. A tag lets the base string use the name's sort key and separators,
 * made once, instead of making them for each request.
 *
 * @internal
 */
export type BaseStringParts = (string | number)[]

/** The tag of a pair whose name is not known in advance. @internal */
export const NO_TAG = -1

/**
 * The tag of a pair whose name or value has no percent-encoding (it holds a lone
 * surrogate): the base string refuses the request when it gets to it. A tag, not a
 * string to compare each pair's forms with, so that the base string checks one number.
 *
 * @internal
 */
export const UNENCODABLE_TAG = -2

/**
 * Pushes one pair's base string forms (see {@link BaseStringParts}) as {@link baseStringForm}
 * made them, tagged {@link UNENCODABLE_TAG} when either is {@link UNENCODABLE}.
 *
 * @internal
 */
export function pushBaseStringForms(
  encoded: BaseStringParts,
  nameForm: string,
  valueForm: string,
): void {
  encoded.push(
    nameForm,
    valueForm,
    nameForm === UNENCODABLE || valueForm === UNENCODABLE ? UNENCODABLE_TAG : NO_TAG,
  )
}

/**
 * {@link parseForm} into `out`; with `encoded`, also pushes each pair's
 * {@link baseStringForm} (name, value, {@link NO_TAG}: see {@link BaseStringParts}), except
 * for `oauth_signature`'s. A component already in canonical form is not encoded again
 * from its decoded text.
 *
 * @param room - The most pairs `out` may hold: parsing stops as soon as one more is found.
 * @returns `false` when it stopped there (`out` then holds `room` pairs).
 * @internal
 */
export function parseFormInto(
  text: string,
  out: Param[],
  encoded: BaseStringParts | undefined,
  room: number = Number.POSITIVE_INFINITY,
): boolean {
  if (text === '') return true
  // Most query strings are plain unreserved text: one test of the whole then saves one
  // test per component (and plain text holds no forbidden character).
  const plain = PLAIN_FORM.test(text)
  if (!plain && FORBIDDEN_FORM_CHARS.test(text)) {
    throw new ParameterRejectedError('Form data contains whitespace or control characters', {
      advice: 'percent-encode spaces and control characters',
    })
  }
  const n = text.length
  // The next `=`, `%` and `+` at or after the current segment: each search goes on from
  // where the last one stopped, so the text is scanned once for each, however many
  // segments lack them (a search from every segment to the end would be quadratic).
  let nextEq = text.indexOf('=')
  let pct = text.indexOf('%')
  let plus = plain ? -1 : text.indexOf('+')
  let start = 0
  while (start < n) {
    let end = text.indexOf('&', start)
    if (end === -1) end = n
    if (end > start) {
      if (out.length >= room) return false
      if (pct !== -1 && pct < start) pct = text.indexOf('%', start)
      if (plus !== -1 && plus < start) plus = text.indexOf('+', start)
      if (nextEq !== -1 && nextEq < start) nextEq = text.indexOf('=', start)
      const eq = nextEq
      const hasValue = eq !== -1 && eq < end
      const nameEnd = hasValue ? eq : end
      const rawName = text.slice(start, nameEnd)
      // A component with neither escapes nor `+` is its own decoding.
      const nameHasPlus = plus !== -1 && plus < nameEnd
      const name =
        nameHasPlus || (pct !== -1 && pct < nameEnd)
          ? decodeFormComponent(rawName, nameHasPlus)
          : rawName
      let rawValue = ''
      let value = ''
      // A value may hold `=` too (base64 padding, `k=v`), sent raw: it is then not its
      // own base string form. This search is also the next segment's.
      let valueHasEq = false
      if (hasValue) {
        if (pct !== -1 && pct < eq) pct = text.indexOf('%', eq)
        if (plus !== -1 && plus < eq) plus = text.indexOf('+', eq)
        nextEq = text.indexOf('=', eq + 1)
        valueHasEq = nextEq !== -1 && nextEq < end
        rawValue = text.slice(eq + 1, end)
        const valueHasPlus = plus !== -1 && plus < end
        value =
          valueHasPlus || (pct !== -1 && pct < end)
            ? decodeFormComponent(rawValue, valueHasPlus)
            : rawValue
      }
      out.push([name, value])
      if (encoded !== undefined && name !== 'oauth_signature') {
        if (plain) {
          encoded.push(
            baseStringFormOfPlain(rawName, name),
            valueHasEq ? baseStringForm(value) : baseStringFormOfPlain(rawValue, value),
            NO_TAG,
          )
        } else {
          pushBaseStringForms(encoded, baseStringForm(name), baseStringForm(value))
        }
      }
    }
    start = end + 1
  }
  return true
}

/**
 * A decoded name or value as it appears in the signature base string: percent-encoded
 * (RFC 5849 §3.6), then encoded again with the rest of the normalized parameters
 * (§3.4.1.1), which turns each `%` into `%25`. Encoding preserves order, so these sort
 * as the once-encoded text does.
 *
 * @internal
 */
export function baseStringForm(decoded: string): string {
  if (UNRESERVED.test(decoded)) return decoded
  let encoded: string
  try {
    encoded = escape(decoded)
  } catch {
    // A lone surrogate: reported if and when the base string is built, so that checks
    // that come first (an unknown signature method, say) still report their own error.
    return UNENCODABLE
  }
  return encodeURIComponent(encoded)
}

/**
 * What {@link baseStringForm} returns for a value that has no percent-encoding (it holds
 * a lone surrogate). Compared by identity, by {@link pushBaseStringForms}.
 *
 * @internal
 */
const UNENCODABLE: string = '\u0000unencodable\u0000'

/**
 * {@link baseStringForm} of a component made only of unreserved characters and valid
 * `%XX` escapes (nothing else: no `=`, no `+`), given its decoded form: built from the
 * raw text when every escape is upper-case and encodes an octet that must be encoded
 * (the usual case), without encoding the decoded text again.
 *
 * @internal
 */
export function baseStringFormOfPlain(raw: string, decoded: string): string {
  if (raw === decoded) return raw
  // Not canonical (a lower-case digit, an escaped unreserved character): encode the
  // decoded text instead. That text came from strict UTF-8 decoding, so it has an
  // encoding (never UNENCODABLE).
  if (NON_CANONICAL_ESCAPE.test(raw)) return baseStringForm(decoded)
  // The second encoding of unreserved characters and escapes turns each `%` into `%25`.
  // One escape (a signature's `%3D`) is spliced here; more go to encodeURIComponent,
  // which does them in one call.
  const first = raw.indexOf('%')
  if (first === -1) return raw
  if (raw.indexOf('%', first + 3) === -1) return `${raw.slice(0, first)}%25${raw.slice(first + 1)}`
  return encodeURIComponent(raw)
}

// An escape that the canonical percent-encoding (RFC 5849 §3.6), which a base string
// keeps as sent, would not write: a lower-case hex digit, or an escaped unreserved
// character (`-` `.` digits letters `_` `~`). Searched for, in text whose every `%`
// starts a valid escape, rather than matching the whole text: a search only stops at
// `%`, and costs about half as much here.
const NON_CANONICAL_ESCAPE =
  /%(?:[0-9A-F][a-f]|[a-f][0-9A-Fa-f]|2[DE]|3[0-9]|4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE])/

function decodeFormComponent(raw: string, hasPlus: boolean): string {
  return unescape(hasPlus ? raw.replace(/\+/g, ' ') : raw)
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
