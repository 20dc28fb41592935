import { ParameterRejectedError } from '../errors.js'
import {
  type BaseStringParts,
  baseStringForm,
  baseStringFormOfPlain,
  escape,
  NO_TAG,
  type Param,
  pushBaseStringForms,
  UNRESERVED_CODES,
  unescape,
} from './encoding.js'

/** The result of {@link parseAuthorizationHeader}. */
export interface ParsedAuthorizationHeader {
  /** The `realm` value (never percent-decoded: RFC 5849 §3.5.1 leaves it as a quoted string). */
  realm: string | undefined
  /** Every other parameter, in order, with names and values percent-decoded. */
  params: Param[]
}

// RFC 7230 tchar, as a lookup table over char codes.
const TOKEN = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TOKEN[c.charCodeAt(0)] = 1
}
const isToken = (code: number): boolean => code < 128 && TOKEN[code] === 1
// Optional whitespace; CR and LF are tolerated for obsolete line folding.
const isOws = (code: number): boolean => code === 32 || code === 9 || code === 13 || code === 10

// Parameters checked for duplicates by a linear scan; past this many, a Set takes over.
const SMALL_HEADER = 16

function malformed(reason: string): ParameterRejectedError {
  return new ParameterRejectedError(`Malformed Authorization header: ${reason}`)
}

/**
 * Tells whether an `Authorization` header value uses the `OAuth` scheme (matched
 * case-insensitively, RFC 7235 §2.1).
 *
 * @param value - The header value.
 * @returns `true` when the scheme is `OAuth`.
 * @example
 * ```ts
 * isOAuthAuthorizationHeader('oauth oauth_nonce="x"') // true
 * ```
 */
export function isOAuthAuthorizationHeader(value: string): boolean {
  return (
    value.length >= 5 &&
    (value.charCodeAt(0) | 0x20) === 0x6f && // o
    (value.charCodeAt(1) | 0x20) === 0x61 && // a
    (value.charCodeAt(2) | 0x20) === 0x75 && // u
    (value.charCodeAt(3) | 0x20) === 0x74 && // t
    (value.charCodeAt(4) | 0x20) === 0x68 && // h
    (value.length === 5 || value.charCodeAt(5) === 0x20)
  )
}

/**
 * Parses an `Authorization: OAuth …` header (RFC 5849 §3.5.1, RFC 7235 §2.1): scheme
 * matched case-insensitively, comma-separated `name=value` pairs where a value is a token
 * or a quoted string (backslash escapes honoured), optional whitespace and empty list
 * elements allowed. Values other than `realm` are percent-decoded.
 *
 * Unlike oauthlib, a repeated parameter is an error instead of silently keeping the last
 * value (RFC 5849 §3.5 sends each protocol parameter once).
 *
 * @param value - The header value.
 * @returns The realm and the decoded parameters.
 * @throws {ParameterRejectedError} on another scheme, a syntax error, invalid
 *   percent-encoding or a duplicated parameter.
 * @example
 * ```ts
 * parseAuthorizationHeader('OAuth realm="Photos", oauth_nonce="a%20b"')
 * // { realm: 'Photos', params: [['oauth_nonce', 'a b']] }
 * ```
 */
export function parseAuthorizationHeader(value: string): ParsedAuthorizationHeader {
  const params: Param[] = []
  const realm = parseAuthorizationHeaderInto(value, params, undefined)
  return { realm, params }
}

/**
 * {@link parseAuthorizationHeader} into `params`, returning the realm; with `encoded`,
 * also pushes each parameter's `baseStringForm` (name, then value), except for
 * `oauth_signature`'s.
 *
 * @internal
 */
export function parseAuthorizationHeaderInto(
  value: string,
  params: Param[],
  encoded: BaseStringParts | undefined,
): string | undefined {
  if (!isOAuthAuthorizationHeader(value)) throw malformed('scheme is not OAuth')
  if (PROTOCOL_HEADER.test(value)) return parseCanonicalInto(value, params, encoded, true)
  if (CANONICAL_HEADER.test(value)) return parseCanonicalInto(value, params, encoded, false)
  // About ten parameters: scanning a short array beats hashing into a Set, and names past
  // the first SMALL_HEADER go to a Set so that a huge header stays linear.
  const seen: string[] = []
  let seenSet: Set<string> | undefined
  // Backslash escapes are rare: the next one is looked for again only once passed, so
  // the header is scanned for them once in all.
  let backslash = value.indexOf('\\')
  let realm: string | undefined
  const n = value.length
  let i = 5
  let count = 0
  for (;;) {
    while (i < n && (isOws(value.charCodeAt(i)) || value.charCodeAt(i) === 44)) i++
    if (i >= n) break
    const nameStart = i
    // Whether the name is unreserved text, found while scanning it.
    let plainName = true
    for (; i < n; i++) {
      const code = value.charCodeAt(i)
      if (!isToken(code)) break
      if (UNRESERVED_CODES[code] !== 1) plainName = false
    }
    const name = value.slice(nameStart, i)
    if (name === '') throw malformed(`unexpected character at ${i}`)
    while (i < n && isOws(value.charCodeAt(i))) i++
    // Positions, not names, in messages: a name merged with its value may hold a secret.
    if (value[i] !== '=') throw malformed(`parameter at ${nameStart} has no value`)
    i++
    while (i < n && isOws(value.charCodeAt(i))) i++
    let raw: string
    if (value.charCodeAt(i) === 34) {
      const close = value.indexOf('"', i + 1)
      if (close === -1) throw malformed('unterminated quoted string')
      if (backslash !== -1 && backslash <= i) backslash = value.indexOf('\\', i + 1)
      if (backslash !== -1 && backslash < close) {
        const quoted = readQuotedString(value, i + 1)
        raw = quoted.text
        i = quoted.end
      } else {
        raw = value.slice(i + 1, close)
        i = close + 1
      }
    } else {
      const start = i
      while (i < n && isToken(value.charCodeAt(i))) i++
      raw = value.slice(start, i)
      if (raw === '') throw malformed(`parameter at ${nameStart} has no value`)
    }
    while (i < n && isOws(value.charCodeAt(i))) i++
    if (i < n && value.charCodeAt(i) !== 44) throw malformed(`expected "," at ${i}`)
    // auth-param names are case-insensitive (RFC 7235 §2.1); oauth_* names are not (RFC 5849 §3.5.1).
    const decodedName =
      name.length === 5 && name.toLowerCase() === 'realm'
        ? 'realm'
        : plainName
          ? name
          : unescape(name)
    if (seen.includes(decodedName) || seenSet?.has(decodedName) === true) {
      throw duplicated(decodedName)
    }
    if (seen.length < SMALL_HEADER) seen.push(decodedName)
    else {
      seenSet ??= new Set()
      seenSet.add(decodedName)
    }
    count++
    if (decodedName === 'realm') {
      realm = raw
      continue
    }
    const decoded = unescape(raw)
    params.push([decodedName, decoded])
    if (encoded !== undefined && decodedName !== 'oauth_signature') {
      pushBaseStringForms(
        encoded,
        plainName ? name : baseStringForm(decodedName),
        baseStringForm(decoded),
      )
    }
  }
  if (count === 0) throw malformed('no parameters')
  return realm
}

// A header as clients write it: `OAuth ` then `name="value"` pairs joined by `,` or `, `,
// names of letters, digits and `_`, values of unreserved characters and `%` escapes, and a
// realm of anything but a quote or a backslash. Such a header needs no tokenizer: each
// pair is found with two indexOf calls, and a value without `%` is its own decoding and
// its own base string form. Every other header takes the general path.
// The pattern must stay unambiguous, or a long header failing at its end backtracks
// exponentially: a name cannot hold `=`, a value cannot hold `"`, and the realm branch
// takes only a realm with a character outside the plain set (a plain one is read by the
// other branch), so no text matches two ways.
// `\w` is `[A-Za-z0-9_]` (no `u` or `i` flag), which V8 checks faster than those ranges.
const PLAIN_VALUE = '[\\w.~%-]'
const CANONICAL_PAIR = `(?:[Rr][Ee][Aa][Ll][Mm]="${PLAIN_VALUE}*[^"\\\\A-Za-z0-9._~%-][^"\\\\]*"|\\w+="${PLAIN_VALUE}*")`
const CANONICAL_HEADER = new RegExp(`^OAuth ${CANONICAL_PAIR}(?:, ?${CANONICAL_PAIR})*$`)

// The protocol parameter names. Their index here is their tag (see BaseStringParts) and
// their bit in the canonical path's duplicate check. That path stores these constants
// rather than slices of the header: later comparisons against them (an endpoint's
// lookups, the verifier's) are then comparisons of one interned string with itself.
/** @internal */
export const PROTOCOL_NAMES: readonly string[] = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
]

// Any protocol parameter name followed by `=`, matched where a name starts.
// The shared `oauth_` is written once: the expression then reads it once, not once for
// each alternative.
const PROTOCOL_NAME = `oauth_(?:${PROTOCOL_NAMES.map((name) => name.slice('oauth_'.length)).join('|')})`
const PROTOCOL_NAME_AT = new RegExp(`${PROTOCOL_NAME}=`, 'y')

// A canonical header whose names are all protocol names or `realm` (the usual header): the
// expression then has told every name apart from any other, and `tagAt` needs only to
// read one or two characters of a name to know which it is. `realm` takes any quoted
// text without a quote or a backslash here, as in CANONICAL_PAIR; no other name can
// match its branch, so the pattern stays unambiguous.
const PROTOCOL_PAIR = `(?:${PROTOCOL_NAME}="${PLAIN_VALUE}*"|[Rr][Ee][Aa][Ll][Mm]="[^"\\\\]*")`
const PROTOCOL_HEADER = new RegExp(`^OAuth ${PROTOCOL_PAIR}(?:, ?${PROTOCOL_PAIR})*$`)

// Each name's tag, by name, for protocolTag and the signature's exclusion.
const tagOf = (name: string): number => PROTOCOL_NAMES.indexOf(name)
const SIGNATURE_TAG = tagOf('oauth_signature')
const CONSUMER_KEY = tagOf('oauth_consumer_key')
const OAUTH_TOKEN = tagOf('oauth_token')
const SIGNATURE_METHOD = tagOf('oauth_signature_method')
const TIMESTAMP = tagOf('oauth_timestamp')
const NONCE = tagOf('oauth_nonce')
const VERSION = tagOf('oauth_version')
const CALLBACK = tagOf('oauth_callback')
const VERIFIER = tagOf('oauth_verifier')
const BODY_HASH = tagOf('oauth_body_hash')

/**
 * The tag of the protocol parameter name that the header holds from `from` to the `=` at
 * `to`, or NO_TAG for any other name. Checked in place (slicing the name first would make
 * a string that compares slowly): the name's length and seventh character (the one after
 * `oauth_`) give the one candidate, and one sticky regular expression tells whether the
 * name is a protocol name at all (several times cheaper than comparing character by
 * character).
 */
function protocolTag(text: string, from: number, to: number): number {
  let tag: number
  switch (to - from) {
    case 11:
      tag = text.charCodeAt(from + 6) === 0x74 ? OAUTH_TOKEN : NONCE
      break
    case 13:
      tag = VERSION
      break
    case 14:
      tag = text.charCodeAt(from + 6) === 0x63 ? CALLBACK : VERIFIER
      break
    case 15: {
      const c = text.charCodeAt(from + 6)
      tag = c === 0x73 ? SIGNATURE_TAG : c === 0x74 ? TIMESTAMP : BODY_HASH
      break
    }
    case 18:
      tag = CONSUMER_KEY
      break
    case 22:
      tag = SIGNATURE_METHOD
      break
    default:
      return NO_TAG
  }
  // A protocol name of this length with this character is the one `tag` stands for.
  PROTOCOL_NAME_AT.lastIndex = from
  return PROTOCOL_NAME_AT.test(text) && PROTOCOL_NAME_AT.lastIndex === to + 1 ? tag : NO_TAG
}

// The tag tagAt gives `realm`: parseCanonicalInto's own, never stored in BaseStringParts
// (where -2 is UNENCODABLE_TAG).
const REALM_TAG = -2

/**
 * The tag of the name that starts at `from` in a header that matches PROTOCOL_HEADER:
 * a protocol name's, or REALM_TAG. The expression has matched each name against the
 * list, so the seventh character (the one after `oauth_`), and for names that share it
 * one more, tell which it is; `realm` has a quote there.
 */
function tagAt(text: string, from: number): number {
  switch (text.charCodeAt(from + 6)) {
    case 0x63: // c: consumer_key, callback
      return text.charCodeAt(from + 7) === 0x6f ? CONSUMER_KEY : CALLBACK
    case 0x74: // t: token, timestamp
      return text.charCodeAt(from + 7) === 0x6f ? OAUTH_TOKEN : TIMESTAMP
    case 0x73: // s: signature (then `=`), signature_method
      return text.charCodeAt(from + 15) === 0x3d ? SIGNATURE_TAG : SIGNATURE_METHOD
    case 0x76: // v: version, verifier
      return text.charCodeAt(from + 9) === 0x73 ? VERSION : VERIFIER
    case 0x6e: // n
      return NONCE
    case 0x62: // b
      return BODY_HASH
    default:
      return REALM_TAG
  }
}

const NAME_LENGTHS: readonly number[] = PROTOCOL_NAMES.map((name) => name.length)

/** The error for a parameter sent twice in the header (both parsing paths). */
function duplicated(name: string): ParameterRejectedError {
  return new ParameterRejectedError(`Duplicated parameter in Authorization header: ${name}`, {
    parameters: [name],
  })
}

/**
 * {@link parseAuthorizationHeaderInto} for a header that matches `CANONICAL_HEADER`: the
 * same result as the general path, without a tokenizer. `protocolOnly` says that it also
 * matches PROTOCOL_HEADER, so that each name is known from a character or two.
 */
function parseCanonicalInto(
  value: string,
  params: Param[],
  encoded: BaseStringParts | undefined,
  protocolOnly: boolean,
): string | undefined {
  let realm: string | undefined
  let seenBits = 0
  // Names other than the protocol's, rare: a linear scan, or a Set past SMALL_HEADER.
  let others: string[] | undefined
  let othersSet: Set<string> | undefined
  const n = value.length
  // The next `%` at or after the current pair: found once per escape, not once per value.
  let pct = value.indexOf('%', 6)
  let i = 6
  for (;;) {
    let eq: number
    let tag: number
    if (protocolOnly) {
      tag = tagAt(value, i)
      eq = i + (tag === REALM_TAG ? 5 : (NAME_LENGTHS[tag] as number))
    } else {
      eq = value.indexOf('=', i)
      tag = eq - i === 5 && value.slice(i, eq).toLowerCase() === 'realm' ? REALM_TAG : NO_TAG
    }
    const close = value.indexOf('"', eq + 2)
    const raw = value.slice(eq + 2, close)
    if (tag === REALM_TAG) {
      if (realm !== undefined) throw duplicated('realm')
      realm = raw
    } else {
      if (!protocolOnly) tag = protocolTag(value, i, eq)
      let name: string
      if (tag !== NO_TAG) {
        name = PROTOCOL_NAMES[tag] as string
        if ((seenBits & (1 << tag)) !== 0) throw duplicated(name)
        seenBits |= 1 << tag
      } else {
        name = value.slice(i, eq)
        others ??= []
        if (others.includes(name) || othersSet?.has(name) === true) throw duplicated(name)
        if (others.length < SMALL_HEADER) others.push(name)
        else {
          othersSet ??= new Set()
          othersSet.add(name)
        }
      }
      if (pct !== -1 && pct < eq) pct = value.indexOf('%', eq)
      if (pct === -1 || pct > close) {
        params.push([name, raw])
        if (encoded !== undefined && tag !== SIGNATURE_TAG) encoded.push(name, raw, tag)
      } else {
        const decoded = unescape(raw)
        params.push([name, decoded])
        if (encoded !== undefined && tag !== SIGNATURE_TAG) {
          encoded.push(name, baseStringFormOfPlain(raw, decoded), tag)
        }
      }
    }
    i = close + 1
    if (i >= n) return realm
    i += value.charCodeAt(i + 1) === 32 ? 2 : 1
  }
}

/** Reads a quoted-string whose opening quote precedes `from`; returns its text and the index after the closing quote. */
function readQuotedString(value: string, from: number): { text: string; end: number } {
  const close = value.indexOf('"', from)
  if (close === -1) throw malformed('unterminated quoted string')
  const slash = value.indexOf('\\', from)
  if (slash === -1 || slash > close) return { text: value.slice(from, close), end: close + 1 }
  let text = ''
  let i = from
  for (;;) {
    if (i >= value.length) throw malformed('unterminated quoted string')
    const c = value[i] as string
    if (c === '"') return { text, end: i + 1 }
    if (c === '\\') {
      if (i + 1 >= value.length) throw malformed('unterminated quoted string')
      text += value[i + 1]
      i += 2
    } else {
      text += c
      i++
    }
  }
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}

/**
 * Formats an `Authorization: OAuth …` header value (RFC 5849 §3.5.1): the realm first
 * when given (quoted, not percent-encoded; an empty realm is kept), then every
 * `oauth_*` parameter in the given order, names and values percent-encoded and quoted.
 * Other parameters are left out: they belong in the query or body.
 *
 * @param params - Ordered pairs (decoded values).
 * @param realm - Optional realm.
 * @returns The header value.
 * @example
 * ```ts
 * formatAuthorizationHeader([['oauth_signature', 'a=']], 'Photos')
 * // 'OAuth realm="Photos", oauth_signature="a%3D"'
 * ```
 */
export function formatAuthorizationHeader(
  params: readonly (readonly [string, string])[],
  realm?: string | null,
): string {
  const parts: string[] = []
  if (realm !== undefined && realm !== null) parts.push(`realm=${quote(realm)}`)
  for (const [name, value] of params) {
    if (name.startsWith('oauth_')) parts.push(`${escape(name)}="${escape(value)}"`)
  }
  return `OAuth ${parts.join(', ')}`
}
