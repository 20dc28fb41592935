import { ParameterRejectedError } from '../errors.js'
import { PROTOCOL_NAMES, parseAuthorizationHeaderInto } from './authorization-header.js'
import { baseStringUri } from './base-string.js'
import { getHeader, type HeadersLike } from './collect.js'
import {
  type BaseStringParts,
  escape,
  isFormContentType,
  type Param,
  parseFormInto,
  UNENCODABLE_TAG,
} from './encoding.js'

/** Input of {@link readRequestParameters}: a request as the provider received it. */
export interface RequestParametersInput {
  /** HTTP method, any case. */
  readonly method: string
  /** Absolute URL as the client addressed it, query included. */
  readonly url: string
  /** Request headers; `Authorization` and `Content-Type` are read. */
  readonly headers?: HeadersLike | undefined
  /** Raw body text; read only when `Content-Type` is `application/x-www-form-urlencoded`. */
  readonly body?: string | undefined
}

// Base string URIs by URL prefix (scheme, authority, path): a provider serves a handful
// of routes, and building and encoding the URI is a tenth of a verification. Bounded, as
// URLs are client input.
const URI_CACHE_LIMIT = 512

interface CachedUri {
  /** The URL prefix, as a string of its own (not a slice of the URL it came from). */
  readonly prefix: string
  /** Its base string URI, percent-encoded. */
  readonly encoded: string
}
const uriCache = new Map<string, CachedUri>()

// The last URL prefix seen: a provider under load mostly sees one route after another.
let last: CachedUri = { prefix: '', encoded: '' }

/**
 * A copy of `text` that is a string of its own. A slice of a longer string keeps all of
 * it alive (a cached prefix would keep a whole request URL, query included) and compares
 * about twice as slowly as a string of its own.
 */
function ownCopy(text: string): string {
  return text.split('').join('')
}

function encodedBaseStringUri(url: string): string {
  const prefix = last.prefix
  const length = prefix.length
  if (length !== 0 && url.length >= length) {
    // The prefix ends where the query or fragment starts (or the URL ends). On V8,
    // comparing a slice costs about half what `startsWith` does.
    const next = url.length === length ? 0x3f : url.charCodeAt(length)
    if ((next === 0x3f || next === 0x23) && url.slice(0, length) === prefix) return last.encoded
  }
  let end = url.indexOf('?')
  const hash = url.indexOf('#')
  if (end === -1 || (hash !== -1 && hash < end)) end = hash
  const slice = end === -1 ? url : url.slice(0, end)
  let cached = uriCache.get(slice)
  if (cached === undefined) {
    const own = ownCopy(slice)
    cached = { prefix: own, encoded: escape(baseStringUri(own)) }
    if (uriCache.size >= URI_CACHE_LIMIT) uriCache.clear()
    uriCache.set(own, cached)
  }
  last = cached
  return cached.encoded
}

function encodedMethod(method: string): string {
  // The common methods are their own encoding; anything else is upper-cased and escaped.
  return method === 'GET' || method === 'POST' ? method : escape(method.toUpperCase())
}

/**
 * The parameters of a request, read once from each place they can be sent (RFC 5849
 * §3.4.1.3.1), decoded, together with what the signature base string needs. Made by
 * {@link readRequestParameters}.
 */
export class RequestParameters {
  /** Query parameters, decoded, in order. */
  readonly query: readonly Param[]
  /** `Authorization: OAuth` header parameters (no `realm`), decoded, in order. */
  readonly header: readonly Param[]
  /** The header's `realm`, when sent (never percent-decoded). */
  readonly realm: string | undefined
  /** Form body parameters, decoded, in order (empty unless the body is a form). */
  readonly body: readonly Param[]
  readonly #method: string
  readonly #url: string
  // Every signed parameter in its base string form (see BaseStringParts).
  readonly #encoded: BaseStringParts
  #baseString: string | undefined

  /** @internal Use {@link readRequestParameters}. */
  constructor(
    method: string,
    url: string,
    query: Param[],
    header: Param[],
    realm: string | undefined,
    body: Param[],
    encoded: BaseStringParts,
  ) {
    this.query = query
    this.header = header
    this.realm = realm
    this.body = body
    this.#method = method
    this.#url = url
    this.#encoded = encoded
    this.#baseString = undefined
  }

  /**
   * The signature base string of the request (RFC 5849 §3.4.1): every parameter of the
   * query, the header (without `realm`) and a form body, except `oauth_signature`.
   * The same text as
   * `signatureBaseString(method, baseStringUri(url), normalizeParameters(params))`, built
   * without decoding and re-encoding values that are already in canonical form.
   *
   * @returns The base string (computed once, then remembered).
   * @throws {ParameterRejectedError} when the URL has no scheme or host, or a bad port
   *   (see {@link baseStringUri}).
   */
  baseString(): string {
    if (this.#baseString === undefined) {
      this.#baseString = `${encodedMethod(this.#method)}&${encodedBaseStringUri(this.#url)}&${joinSorted(this.#encoded)}`
    }
    return this.#baseString
  }
}

// Base string text is printable ASCII from `%` (0x25) to `~` (0x7E). The first eight
// characters of a name, read as base-96 digits (0 for none), fit in a double's 53-bit
// mantissa and compare as the strings do: most comparisons become one numeric one.
function sortKey(text: string): number {
  if (text.length >= 8) {
    // Unrolled, in integers (each half below 96^4): the usual name is this long.
    const high =
      ((text.charCodeAt(0) * 96 + text.charCodeAt(1)) * 96 + text.charCodeAt(2)) * 96 +
      text.charCodeAt(3) -
      KEY_OFFSET
    const low =
      ((text.charCodeAt(4) * 96 + text.charCodeAt(5)) * 96 + text.charCodeAt(6)) * 96 +
      text.charCodeAt(7) -
      KEY_OFFSET
    return high * 84934656 + low
  }
  let key = 0
  let i = 0
  for (; i < text.length; i++) key = key * 96 + (text.charCodeAt(i) - 0x1f)
  for (; i < 8; i++) key *= 96
  return key
}

// What subtracting 0x1f from each of four digits takes off a four-digit base-96 number.
const KEY_OFFSET = ((0x1f * 96 + 0x1f) * 96 + 0x1f) * 96 + 0x1f

// Scratch space of joinSorted for the usual handful of parameters: reused, not allocated
// per request (joinSorted runs to completion, never reentered).
const SMALL_SORT = 32
const smallKeys = new Float64Array(SMALL_SORT)
const smallOrder = new Int32Array(SMALL_SORT)

// The sort keys and separators of the protocol parameter names, by tag (their index in
// PROTOCOL_NAMES, which is also their base string form): made once, not per request.
const PROTOCOL_KEYS: readonly number[] = PROTOCOL_NAMES.map(sortKey)
const PROTOCOL_FIRST: readonly string[] = PROTOCOL_NAMES.map((name) => `${name}%3D`)
const PROTOCOL_NEXT: readonly string[] = PROTOCOL_NAMES.map((name) => `%26${name}%3D`)

/** Whether pair `a` sorts before pair `b`: by key, then encoded name, then encoded value. */
function sortsBefore(
  encoded: BaseStringParts,
  keys: ArrayLike<number>,
  a: number,
  b: number,
): boolean {
  const ka = keys[a] as number
  const kb = keys[b] as number
  if (ka !== kb) return ka < kb
  const na = encoded[3 * a] as string
  const nb = encoded[3 * b] as string
  if (na !== nb) return na < nb
  return (encoded[3 * a + 1] as string) < (encoded[3 * b + 1] as string)
}

/**
 * Sorts pairs in their base string form (RFC 5849 §3.4.1.3.2: by encoded name, then
 * encoded value, in byte order; on encoded text UTF-16 order is byte order, and the
 * second encoding keeps that order) and joins them as the base string has them: `=` as
 * `%3D`, `&` as `%26`.
 */
function joinSorted(encoded: BaseStringParts): string {
  const n = (encoded.length / 3) | 0
  const small = n <= SMALL_SORT
  const keys: Float64Array | number[] = small ? smallKeys : new Array<number>(n)
  const order: Int32Array | number[] = small ? smallOrder : new Array<number>(n)
  for (let k = 0; k < n; k++) {
    const tag = encoded[3 * k + 2] as number
    if (tag === UNENCODABLE_TAG)
      throw new ParameterRejectedError('Value is not well-formed Unicode')
    keys[k] = tag >= 0 ? (PROTOCOL_KEYS[tag] as number) : sortKey(encoded[3 * k] as string)
  }
  if (small) {
    // Insertion sort of pair indices: a request carries a handful of parameters.
    for (let k = 0; k < n; k++) {
      let j = k - 1
      while (j >= 0 && sortsBefore(encoded, keys, k, order[j] as number)) {
        order[j + 1] = order[j] as number
        j--
      }
      order[j + 1] = k
    }
  } else {
    const indices = order as number[]
    for (let k = 0; k < n; k++) indices[k] = k
    indices.sort((a, b) =>
      sortsBefore(encoded, keys, a, b) ? -1 : sortsBefore(encoded, keys, b, a) ? 1 : 0,
    )
  }
  let out = ''
  for (let k = 0; k < n; k++) {
    const o = order[k] as number
    const name = encoded[3 * o] as string
    const value = encoded[3 * o + 1] as string
    const tag = encoded[3 * o + 2] as number
    if (tag >= 0) {
      out += k > 0 ? (PROTOCOL_NEXT[tag] as string) : (PROTOCOL_FIRST[tag] as string)
      out += value
    } else {
      if (k > 0) out += '%26'
      out += `${name}%3D${value}`
    }
  }
  return out
}

/**
 * Reads the parameters of a request from the query, the `Authorization: OAuth` header
 * and a form-encoded body (RFC 5849 §3.4.1.3.1) in one pass, keeping what the signature
 * base string needs, so that a provider decodes each value once and never re-encodes an
 * already canonical one. This is what the endpoints verify with.
 *
 * @param input - Method, absolute URL, headers and raw body.
 * @returns The decoded parameters by place, and {@link RequestParameters.baseString}.
 * @throws {ParameterRejectedError} on malformed encoding, a malformed or non-OAuth
 *   `Authorization` header, or a repeated header parameter.
 * @example
 * ```ts
 * const params = readRequestParameters({
 *   method: 'GET',
 *   url: 'https://photos.example.net/photos?file=vacation.jpg&size=original',
 *   headers: { authorization: 'OAuth oauth_consumer_key="dpf43f3p2l4k3l03", …' },
 * })
 * const ok = await verifyHmacSha1(params.baseString(), signature, clientSecret, tokenSecret)
 * ```
 */
export function readRequestParameters(input: RequestParametersInput): RequestParameters {
  const body = input.body
  return readParameters(
    input.method,
    input.url,
    getHeader(input.headers, 'authorization'),
    // Content-Type matters only with a body: a protected GET does not look it up.
    body !== undefined && body !== '' ? getHeader(input.headers, 'content-type') : undefined,
    body,
  )
}

/**
 * The error for a request with more parameters than a provider accepts.
 *
 * @internal
 */
export function tooManyParameters(maxParameters: number): ParameterRejectedError {
  return new ParameterRejectedError(`More than ${maxParameters} parameters`)
}

/**
 * {@link readRequestParameters} on the header values themselves.
 *
 * @param maxParameters - The most parameters accepted across query, header and body: a
 *   query or body with more is refused as soon as the next one is found, before the
 *   rest is read (a 1 MiB body can hold half a million of them).
 * @throws {ParameterRejectedError} past `maxParameters`, and as {@link readRequestParameters}.
 * @internal
 */
export function readParameters(
  method: string,
  url: string,
  authorization: string | undefined,
  contentType: string | undefined,
  text: string | undefined,
  maxParameters: number = Number.POSITIVE_INFINITY,
): RequestParameters {
  const encoded: BaseStringParts = []
  const query: Param[] = []
  const q = url.indexOf('?')
  if (q !== -1) {
    // A `?` inside the fragment starts no query.
    const hash = url.indexOf('#')
    if (
      (hash === -1 || hash > q) &&
      !parseFormInto(
        url.slice(q + 1, hash === -1 ? undefined : hash),
        query,
        encoded,
        maxParameters,
      )
    ) {
      throw tooManyParameters(maxParameters)
    }
  }
  const header: Param[] = []
  let realm: string | undefined
  if (authorization !== undefined && authorization !== '') {
    realm = parseAuthorizationHeaderInto(authorization, header, encoded)
  }
  const body: Param[] = []
  if (
    text !== undefined &&
    text !== '' &&
    isFormContentType(contentType) &&
    !parseFormInto(text, body, encoded, maxParameters - query.length - header.length)
  ) {
    throw tooManyParameters(maxParameters)
  }
  return new RequestParameters(method, url, query, header, realm, body, encoded)
}
