import { createHmac, generateKeyPairSync } from 'node:crypto'
import {
  baseStringUri,
  Client,
  collectParameters,
  escape,
  importRsaPrivateKey,
  importRsaPublicKey,
  normalizeParameters,
  type RsaPrivateKey,
  type RsaPublicKey,
  readRequestParameters,
  signatureBaseString,
  verifyHmacSha1,
} from '@x/oauth1-core'

/** A header-signed request as a provider receives it: raw strings only. */
export interface RawRequest {
  readonly method: string
  /** Absolute URL as the client addressed it, query included. */
  readonly url: string
  /** The raw query string (without `?`), still percent-encoded. */
  readonly query: string
  /** The raw `Authorization: OAuth …` header value. */
  readonly authorization: string
}

/** Shared secrets of the client and its access token. */
export interface Secrets {
  readonly clientSecret: string
  readonly tokenSecret: string
}

/** The HMAC-signed request the benchmarks verify, with what verifying it needs. */
export interface SignedRequest {
  readonly request: RawRequest
  readonly secrets: Secrets
  /** The signature base string of {@link SignedRequest.request} (about 400 characters). */
  readonly baseString: string
  /** `escape(clientSecret)&escape(tokenSecret)`: the HMAC key. */
  readonly hmacKey: string
}

/** Everything the benchmarks measure, built once before any timing starts. */
export interface Workload extends SignedRequest {
  readonly rsa: {
    readonly publicPem: string
    readonly privatePem: string
    readonly publicKey: RsaPublicKey
    readonly privateKey: RsaPrivateKey
  }
}

// Lengths as real clients send them: a 25-character consumer key, a 50-character token,
// a 32-character nonce, a 10-digit timestamp; four query parameters, one of them needing
// percent-encoding. 4 query + 6 protocol parameters = 10 signed parameters.
const URL =
  'https://api.example.com/1.1/statuses/user_timeline.json' +
  '?screen_name=oauth_dev&count=200&include_rts=true&q=caf%C3%A9%20%26%20cr%C3%A8me'
const SECRETS: Secrets = {
  clientSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
}

/**
 * Signs the benchmark request with the public `Client` (HMAC-SHA1, Authorization header).
 * Deterministic: the same request every time.
 */
export async function buildSignedRequest(): Promise<SignedRequest> {
  const client = new Client({
    clientKey: 'xvz1evFS4wEEPTGEFPHBog25',
    clientSecret: SECRETS.clientSecret,
    resourceOwnerKey: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    resourceOwnerSecret: SECRETS.tokenSecret,
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgm',
    timestamp: '1318622958',
  })
  const signed = await client.sign(URL)
  const authorization = signed.headers.Authorization
  if (authorization === undefined || signed.baseString === undefined) {
    throw new Error('Client.sign returned no Authorization header')
  }
  return {
    request: {
      method: 'GET',
      url: URL,
      query: URL.slice(URL.indexOf('?') + 1),
      authorization,
    },
    secrets: SECRETS,
    baseString: signed.baseString,
    hmacKey: `${escape(SECRETS.clientSecret)}&${escape(SECRETS.tokenSecret)}`,
  }
}

/** {@link buildSignedRequest}, and a 2048-bit RSA key pair. */
export async function buildWorkload(): Promise<Workload> {
  const signed = await buildSignedRequest()
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return {
    ...signed,
    rsa: {
      publicPem,
      privatePem,
      publicKey: await importRsaPublicKey(publicPem),
      privateKey: await importRsaPrivateKey(privatePem),
    },
  }
}

/**
 * The full provider-side check of a header-signed HMAC-SHA1 request as the endpoints do
 * it, through the public API: read the query and the header once
 * (`readRequestParameters`: parse, collect, decode), find `oauth_signature`, build the
 * base string (normalise, encode), recompute the HMAC and compare in constant time.
 *
 * @returns `true` when the signature is valid.
 */
export function verifyRequest(request: RawRequest, secrets: Secrets): Promise<boolean> {
  const params = readRequestParameters({
    method: request.method,
    url: request.url,
    headers: { authorization: request.authorization },
  })
  let signature: string | undefined
  let method: string | undefined
  for (const [name, value] of params.header) {
    if (name === 'oauth_signature') signature = value
    else if (name === 'oauth_signature_method') method = value
  }
  if (signature === undefined || method !== 'HMAC-SHA1') return Promise.resolve(false)
  return verifyHmacSha1(params.baseString(), signature, secrets.clientSecret, secrets.tokenSecret)
}

/**
 * The same check composed from the step-by-step primitives (`collectParameters`,
 * `normalizeParameters`, `signatureBaseString`): decoded pairs, encoded again.
 *
 * @returns `true` when the signature is valid.
 */
export async function verifyRequestStepByStep(
  request: RawRequest,
  secrets: Secrets,
): Promise<boolean> {
  const params = collectParameters({
    uriQuery: request.query,
    headers: { authorization: request.authorization },
    excludeOauthSignature: false,
  })
  let signature: string | undefined
  let method: string | undefined
  const signed: [string, string][] = []
  for (const pair of params) {
    if (pair[0] === 'oauth_signature') signature = pair[1]
    else {
      if (pair[0] === 'oauth_signature_method') method = pair[1]
      signed.push(pair)
    }
  }
  if (signature === undefined || method !== 'HMAC-SHA1') return false
  const baseString = signatureBaseString(
    request.method,
    baseStringUri(request.url),
    normalizeParameters(signed),
  )
  return verifyHmacSha1(baseString, signature, secrets.clientSecret, secrets.tokenSecret)
}

/** What {@link checkRequestFloor} found. */
export const FLOOR_BAD_SIGNATURE = 0
export const FLOOR_FRESH = 1
export const FLOOR_REPLAYED = 2

/**
 * A lower bound, not a verifier: the least work that can check a header-signed request's
 * HMAC-SHA1 signature in JavaScript. It finds the header pairs and query pairs with
 * `indexOf` and `slice`, assumes every value is already canonically encoded, sorts,
 * concatenates and runs one `createHmac`; given `nonces`, it also records the request's
 * nonce in that map, as a store's claim would (one lookup, one insert). It validates
 * nothing (syntax, duplicates, decoding, UTF-8, timestamps, the client or token), keeps
 * no decoded parameters and would accept malformed requests: never use it. The benchmarks
 * report it so that a ratio can be read against what any implementation on the same
 * machine must pay.
 *
 * @param request - A header-signed request whose header is `OAuth name="value", …`.
 * @param encodedUri - The percent-encoded base string URI, as a route cache would hold it.
 * @param hmacKey - `escape(clientSecret)&escape(tokenSecret)`.
 * @param nonces - Where nonces are recorded (key: client, token, timestamp and nonce).
 * @returns {@link FLOOR_BAD_SIGNATURE}, {@link FLOOR_FRESH}, or {@link FLOOR_REPLAYED} when
 *   `nonces` already held the nonce.
 */
export function checkRequestFloor(
  request: RawRequest,
  encodedUri: string,
  hmacKey: string,
  nonces?: Map<string, number>,
): number {
  const pairs: string[] = []
  let signature = ''
  let nonce = ''
  let timestamp = ''
  let client = ''
  let token = ''
  const header = request.authorization
  const n = header.length
  for (let i = 6; i < n; ) {
    const eq = header.indexOf('=', i)
    const close = header.indexOf('"', eq + 2)
    const name = header.slice(i, eq)
    const value = header.slice(eq + 2, close)
    if (name === 'oauth_signature') signature = decodeURIComponent(value)
    else {
      pairs.push(name, value.indexOf('%') === -1 ? value : encodeURIComponent(value))
      if (name === 'oauth_nonce') nonce = value
      else if (name === 'oauth_timestamp') timestamp = value
      else if (name === 'oauth_consumer_key') client = value
      else if (name === 'oauth_token') token = value
    }
    i = close + 3
  }
  const query = request.query
  for (let start = 0; start < query.length; ) {
    let end = query.indexOf('&', start)
    if (end === -1) end = query.length
    const eq = query.indexOf('=', start)
    const value = query.slice(eq + 1, end)
    pairs.push(
      query.slice(start, eq),
      value.indexOf('%') === -1 ? value : encodeURIComponent(value),
    )
    start = end + 1
  }
  const count = pairs.length >> 1
  const order: number[] = []
  for (let k = 0; k < count; k++) {
    let j = k - 1
    while (j >= 0 && (pairs[2 * k] as string) < (pairs[2 * (order[j] as number)] as string)) {
      order[j + 1] = order[j] as number
      j--
    }
    order[j + 1] = k
  }
  let base = `${request.method}&${encodedUri}&`
  for (let k = 0; k < count; k++) {
    const o = order[k] as number
    if (k > 0) base += '%26'
    base += `${pairs[2 * o]}%3D${pairs[2 * o + 1]}`
  }
  if (createHmac('sha1', hmacKey).update(base).digest('base64') !== signature) {
    return FLOOR_BAD_SIGNATURE
  }
  if (nonces === undefined) return FLOOR_FRESH
  const key = [client, token, timestamp, nonce].join(':')
  if (nonces.has(key)) return FLOOR_REPLAYED
  nonces.set(key, Number(timestamp))
  return FLOOR_FRESH
}

/**
 * {@link checkRequestFloor} without nonces: `true` when the signature matches.
 *
 * @param request - A header-signed request.
 * @param encodedUri - The percent-encoded base string URI.
 * @param hmacKey - `escape(clientSecret)&escape(tokenSecret)`.
 * @returns `true` when the signature matches.
 */
export function verifyRequestFloor(
  request: RawRequest,
  encodedUri: string,
  hmacKey: string,
): boolean {
  return checkRequestFloor(request, encodedUri, hmacKey) === FLOOR_FRESH
}
