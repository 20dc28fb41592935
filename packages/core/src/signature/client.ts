import { backend } from '#crypto'
import { formatAuthorizationHeader } from './authorization-header.js'
import { baseStringUri, normalizeParameters, signatureBaseString } from './base-string.js'
import { getHeader } from './collect.js'
import { formatForm, isFormContentType, type Param, parseForm } from './encoding.js'
import type { RsaPrivateKey } from './methods.js'
import { SignatureMethodRegistry } from './registry.js'
import { bodyHash } from './sign.js'

/** Where the client puts the protocol parameters (RFC 5849 §3.5). */
export type SignatureType = 'AUTH_HEADER' | 'QUERY' | 'BODY'

/** Options of {@link Client}; names follow oauthlib's `Client`. */
export interface ClientOptions {
  /** `oauth_consumer_key`. */
  readonly clientKey: string
  /** Client shared secret (HMAC, PLAINTEXT). */
  readonly clientSecret?: string | undefined
  /** `oauth_token`: a temporary or access token. */
  readonly resourceOwnerKey?: string | undefined
  /** The token's shared secret. */
  readonly resourceOwnerSecret?: string | undefined
  /** `oauth_callback` (an absolute URI or `oob`). */
  readonly callbackUri?: string | undefined
  /** `oauth_verifier`. */
  readonly verifier?: string | undefined
  /** Default `HMAC-SHA1`. Any name known to `signatureMethods`. */
  readonly signatureMethod?: string | undefined
  /** Default `AUTH_HEADER`. */
  readonly signatureType?: SignatureType | undefined
  /** RSA private key (PKCS#1 or PKCS#8 PEM, or imported) for the RSA methods. */
  readonly rsaKey?: string | RsaPrivateKey | undefined
  /** Default realm of the Authorization header. */
  readonly realm?: string | undefined
  /** Fixed nonce (tests only; a fresh random nonce is used otherwise). */
  readonly nonce?: string | undefined
  /** Fixed timestamp (tests only). */
  readonly timestamp?: string | undefined
  /** Clock in milliseconds since the epoch (default `Date.now`). */
  readonly now?: (() => number) | undefined
  /** Known methods (default: the seven built-ins). */
  readonly signatureMethods?: SignatureMethodRegistry | undefined
}

/** Per-request options of {@link Client.sign}. */
export interface SignRequestOptions {
  /** HTTP method, default `GET`. */
  readonly method?: string | undefined
  /** Request body: form text (signed) or any other text (covered by `oauth_body_hash`). */
  readonly body?: string | null | undefined
  /** Request headers; `Content-Type` decides how the body is treated, `Host` the base string authority. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Realm for this request only. */
  readonly realm?: string | undefined
}

/** What {@link Client.sign} returns: the request to send. */
export interface SignedRequest {
  readonly uri: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  /** The signature base string (undefined for PLAINTEXT). Contains no secret. */
  readonly baseString: string | undefined
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
// oauthlib's test for "this body is form data": only these characters, valid escapes.
const FORM_LOOKING = /^[A-Za-z0-9_.\-=&;:%+~,*@!()/?'$]*$/

function generateNonce(): string {
  const bytes = backend.randomBytes(24)
  let nonce = ''
  // 248 = 4 * 62: rejecting larger bytes keeps the alphabet uniform.
  for (const byte of bytes) if (byte < 248) nonce += NONCE_ALPHABET[byte % 62]
  return nonce.length >= 16 ? nonce : generateNonce()
}

function decodeFormBody(body: string | null | undefined): Param[] | undefined {
  if (body === undefined || body === null || !FORM_LOOKING.test(body)) return undefined
  try {
    return parseForm(body)
  } catch {
    return undefined
  }
}

/**
 * The OAuth 1.0a request signer (RFC 5849 §3), with oauthlib's options and checks.
 *
 * @example
 * ```ts
 * const client = new Client({ clientKey: 'key', clientSecret: 'secret' })
 * const { uri, headers, body } = await client.sign('https://api.example.com/photos?size=large')
 * await fetch(uri, { headers })
 * ```
 */
export class Client {
  readonly clientKey: string
  readonly signatureMethod: string
  readonly signatureType: SignatureType
  readonly resourceOwnerKey: string | undefined
  readonly callbackUri: string | undefined
  readonly verifier: string | undefined
  readonly realm: string | undefined
  readonly #clientSecret: string | undefined
  readonly #resourceOwnerSecret: string | undefined
  readonly #rsaKey: string | RsaPrivateKey | undefined
  readonly #nonce: string | undefined
  readonly #timestamp: string | undefined
  readonly #now: () => number
  readonly #methods: SignatureMethodRegistry

  /**
   * @throws {TypeError} when `clientKey` is missing.
   */
  constructor(options: ClientOptions) {
    if (typeof options?.clientKey !== 'string' || options.clientKey === '') {
      throw new TypeError('clientKey is required')
    }
    this.clientKey = options.clientKey
    this.signatureMethod = options.signatureMethod ?? 'HMAC-SHA1'
    this.signatureType = options.signatureType ?? 'AUTH_HEADER'
    this.resourceOwnerKey = options.resourceOwnerKey
    this.callbackUri = options.callbackUri
    this.verifier = options.verifier
    this.realm = options.realm
    this.#clientSecret = options.clientSecret
    this.#resourceOwnerSecret = options.resourceOwnerSecret
    this.#rsaKey = options.rsaKey
    this.#nonce = options.nonce
    this.#timestamp = options.timestamp
    this.#now = options.now ?? Date.now
    this.#methods = options.signatureMethods ?? new SignatureMethodRegistry()
  }

  /**
   * Signs a request (RFC 5849 §3.1–§3.5) and returns it with the protocol parameters in
   * the Authorization header, the query, or the form body.
   *
   * @param uri - Absolute request URI (its query is signed).
   * @param options - Method, body, headers, realm.
   * @returns The request to send.
   * @throws {TypeError} for an unknown method or signature type, a missing RSA key, or a
   *   body that contradicts its Content-Type (the same checks as oauthlib).
   */
  async sign(uri: string, options: SignRequestOptions = {}): Promise<SignedRequest> {
    const method = (options.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { ...options.headers }
    const body = options.body ?? undefined
    const contentType = getHeader(headers, 'content-type')
    const multipart = contentType?.toLowerCase().startsWith('multipart/') ?? false
    const isForm = isFormContentType(contentType)
    const bodyParams = decodeFormBody(body)
    const hasParams = bodyParams !== undefined
    if (multipart && hasParams) {
      throw new TypeError('Headers indicate a multipart body but body contains parameters.')
    }
    if (isForm && !hasParams) {
      throw new TypeError('Headers indicate a formencoded body but body was not decodable.')
    }
    if (!isForm && hasParams) {
      throw new TypeError(
        `Body contains parameters but Content-Type header was ${contentType || 'not set'} instead of application/x-www-form-urlencoded`,
      )
    }
    if (this.signatureType === 'BODY' && !(isForm && hasParams)) {
      throw new TypeError('Body signatures may only be used with form-urlencoded content')
    }
    if ((method === 'GET' || method === 'HEAD') && hasParams) {
      throw new TypeError('GET/HEAD requests should not include body.')
    }
    const signatureMethod = this.#methods.get(this.signatureMethod)
    if (signatureMethod === undefined) throw new TypeError('Invalid signature method.')
    if (signatureMethod.keyType === 'rsa' && this.#rsaKey === undefined) {
      throw new TypeError(`rsaKey (an RSA private key) is required for ${this.signatureMethod}`)
    }
    if (!['AUTH_HEADER', 'QUERY', 'BODY'].includes(this.signatureType)) {
      throw new TypeError('Unknown signature type specified.')
    }

    const oauthParams: Param[] = [
      ['oauth_nonce', this.#nonce ?? generateNonce()],
      ['oauth_timestamp', this.#timestamp ?? String(Math.floor(this.#now() / 1000))],
      ['oauth_version', '1.0'],
      ['oauth_signature_method', this.signatureMethod],
      ['oauth_consumer_key', this.clientKey],
    ]
    if (this.resourceOwnerKey !== undefined)
      oauthParams.push(['oauth_token', this.resourceOwnerKey])
    if (this.callbackUri !== undefined) oauthParams.push(['oauth_callback', this.callbackUri])
    if (this.verifier !== undefined) oauthParams.push(['oauth_verifier', this.verifier])
    if (body !== undefined && body !== '' && contentType !== undefined && !isForm) {
      oauthParams.push(['oauth_body_hash', await bodyHash(body)])
    }

    const hashIndex = uri.indexOf('#')
    const withoutFragment = hashIndex === -1 ? uri : uri.slice(0, hashIndex)
    const queryIndex = withoutFragment.indexOf('?')
    const query = queryIndex === -1 ? '' : withoutFragment.slice(queryIndex + 1)
    const signed: Param[] = [...parseForm(query), ...oauthParams, ...(bodyParams ?? [])]
    let baseString: string | undefined
    if (signatureMethod.usesBaseString) {
      const bsUri = baseStringUri(withoutFragment, getHeader(headers, 'host'))
      baseString = signatureBaseString(method, bsUri, normalizeParameters(signed))
    }
    const signature = await signatureMethod.sign({
      baseString: baseString ?? '',
      clientSecret: this.#clientSecret,
      tokenSecret: this.#resourceOwnerSecret,
      privateKey: this.#rsaKey,
    })
    oauthParams.push(['oauth_signature', signature])

    let outUri = uri
    let outBody = body
    if (this.signatureType === 'AUTH_HEADER') {
      headers.Authorization = formatAuthorizationHeader(oauthParams, options.realm ?? this.realm)
    } else if (this.signatureType === 'BODY') {
      outBody = formatForm([...(bodyParams ?? []), ...oauthParams])
    } else {
      const separator = queryIndex === -1 ? '?' : query === '' ? '' : '&'
      outUri = `${withoutFragment}${separator}${formatForm(oauthParams)}${hashIndex === -1 ? '' : uri.slice(hashIndex)}`
    }
    return { uri: outUri, headers, body: outBody, baseString }
  }

  /** Secrets never appear in logs. */
  toJSON(): Record<string, unknown> {
    return {
      clientKey: this.clientKey,
      clientSecret: this.#clientSecret === undefined ? undefined : '****',
      resourceOwnerKey: this.resourceOwnerKey,
      resourceOwnerSecret: this.#resourceOwnerSecret === undefined ? undefined : '****',
      rsaKey: this.#rsaKey === undefined ? undefined : '****',
      signatureMethod: this.signatureMethod,
      signatureType: this.signatureType,
    }
  }
}
