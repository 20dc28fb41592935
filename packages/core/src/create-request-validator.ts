import { backend } from '#crypto'
import { base64ToBytes } from './crypto/base64.js'
import { DUMMY_RSA_PUBLIC_KEY } from './dummy-rsa-key.js'
import { TokenRejectedError } from './errors.js'
import { SIGNATURE_METHODS } from './signature/registry.js'
import { timingSafeEqual } from './signature/timing-safe-equal.js'
import type {
  AccessTokenRecord,
  ClientRecord,
  ClientStore,
  NonceStore,
  RequestTokenRecord,
  TokenStore,
} from './stores.js'
import { generateToken } from './tokens.js'
import type { Awaitable, RequestValidator, TokenInfo, ValidationRequest } from './validator.js'
import { defaultWarningHandler, once, type WarningHandler } from './warnings.js'

/** A length range and character rule for identifiers (client keys, tokens, verifiers, nonces). */
export interface IdentifierRule {
  readonly minLength: number
  readonly maxLength: number
  /** Every character must match (tested per whole string). Default: printable ASCII. */
  readonly pattern?: RegExp | undefined
}

/** Options of {@link createRequestValidator}: the stores plus the provider's policy. */
export interface RequestValidatorOptions {
  readonly clients: ClientStore
  readonly nonces: NonceStore
  readonly tokens: TokenStore
  /** Default: all seven built-in methods. */
  readonly allowedSignatureMethods?: readonly string[] | undefined
  /** Accepted clock skew in seconds (default 600). */
  readonly timestampLifetime?: number | undefined
  /** Require https (default `true`). */
  readonly enforceTls?: boolean | undefined
  /** Exempt 127.0.0.0/8 and ::1 from the TLS requirement (default `false`). */
  readonly allowInsecureLoopback?: boolean | undefined
  /** Accept PLAINTEXT without nonce and timestamp (default `false`). */
  readonly allowPlaintextWithoutNonce?: boolean | undefined
  /** The provider's realms; absent: any realm name is accepted. */
  readonly realms?: readonly string[] | undefined
  /** Lifetime of an unexchanged request token, seconds (default 1800). */
  readonly requestTokenTtl?: number | undefined
  /** Lifetime of an access token, seconds (default: none, until revoked). */
  readonly accessTokenTtl?: number | undefined
  /** Client keys, tokens and verifiers (default 1–255 printable ASCII). */
  readonly identifierRule?: IdentifierRule | undefined
  /** Nonces (default 1–255 printable ASCII). */
  readonly nonceRule?: IdentifierRule | undefined
  /** Clock in milliseconds (default `Date.now`); share it with the endpoints. */
  readonly now?: (() => number) | undefined
  /** One-time warnings about insecure settings (default `console.warn`). */
  readonly onWarning?: WarningHandler | undefined
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/
const DEFAULT_RULE: IdentifierRule = { minLength: 1, maxLength: 255, pattern: PRINTABLE_ASCII }

function matches(rule: IdentifierRule, value: string): boolean {
  return (
    value.length >= rule.minLength &&
    value.length <= rule.maxLength &&
    (rule.pattern ?? PRINTABLE_ASCII).test(value)
  )
}

function isSubset(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.every((x) => outer.includes(x))
}

function withoutQuery(uri: string): string {
  const cut = uri.search(/[?#]/)
  return cut === -1 ? uri : uri.slice(0, cut)
}

/** Lowercase hex SHA-256 of the UTF-8 bytes (the `verifierHash` of a request token). */
async function sha256Hex(text: string): Promise<string> {
  const bytes = base64ToBytes(await backend.digestBase64('SHA-256', text)) ?? new Uint8Array()
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** The last lookup of one kind in one request: its key and what it gave. */
interface Memo<T> {
  readonly key: string
  readonly value: T | Promise<T>
}

/**
 * Memoises a lookup per request, so a check and a secret fetch share a store round trip.
 * A request looks up one client and one token of each kind (the one it names, or the
 * stand-in), so one entry per kind is enough; another key replaces it.
 */
function memo<T>(
  r: ValidationRequest,
  kind: symbol,
  key: string,
  load: () => T | Promise<T>,
): T | Promise<T> {
  const hit = r.state.get(kind) as Memo<T> | undefined
  if (hit !== undefined && hit.key === key) return hit.value
  const value = load()
  r.state.set(kind, { key, value } satisfies Memo<T>)
  return value
}

/** Applies `fn` now when `value` is plain, after it settles when it is a promise. */
function map<T, U>(value: T | Promise<T>, fn: (value: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value)
}

const CLIENT = Symbol('client')
const REQUEST_TOKEN = Symbol('request token')
const ACCESS_TOKEN = Symbol('access token')

/**
 * Builds a complete {@link RequestValidator} on three small stores, so that a storage
 * package implements storage only and never protocol rules. It keeps the rules every
 * validator must keep: unknown clients and tokens answer with stand-in secrets (and a
 * stand-in 2048-bit RSA key) after the same lookups, verifiers compare in constant time,
 * nonces are claimed atomically for the whole timestamp window, request tokens are
 * authorized once and exchanged once (atomically), and a token only works for its client.
 *
 * @param options - Stores and policy.
 * @returns The validator.
 * @example
 * ```ts
 * const store = new MemoryStore()
 * const validator = createRequestValidator({ clients: store, nonces: store, tokens: store })
 * ```
 */
export function createRequestValidator(options: RequestValidatorOptions): RequestValidator {
  const { clients, nonces, tokens } = options
  if (!clients || !nonces || !tokens) {
    throw new TypeError('createRequestValidator needs clients, nonces and tokens stores')
  }
  const now = options.now ?? Date.now
  const lifetime = options.timestampLifetime ?? 600
  if (!(lifetime > 0)) throw new TypeError('timestampLifetime must be a positive number of seconds')
  const requestTokenTtl = options.requestTokenTtl ?? 1800
  const accessTokenTtl = options.accessTokenTtl
  const idRule = options.identifierRule ?? DEFAULT_RULE
  const nonceRule = options.nonceRule ?? DEFAULT_RULE
  const providerRealms = options.realms
  const warn = once(options.onWarning ?? defaultWarningHandler)
  const enforceTls = options.enforceTls ?? true
  const allowInsecureLoopback = options.allowInsecureLoopback ?? false
  if (!enforceTls)
    warn({ code: 'insecure-transport', message: 'enforceTls is off: plain HTTP is accepted' })
  if (allowInsecureLoopback) {
    warn({
      code: 'insecure-loopback',
      message: 'plain HTTP is accepted on loopback (127.0.0.0/8, ::1)',
    })
  }

  // Stand-ins for unknown identifiers: random per validator, so nobody can guess them.
  const dummyClient = `dummy-client-${generateToken(24)}`
  const dummyRequestToken = `dummy-request-token-${generateToken(24)}`
  const dummyAccessToken = `dummy-access-token-${generateToken(24)}`
  const dummySecret = generateToken(32)

  // The stand-ins exist in no store, so they are never looked up: the real identifier's
  // lookup (a miss) already happened, and one more round trip would make an unknown
  // client or token cost more than a known one.
  const enabled = (record: ClientRecord | undefined): ClientRecord | undefined =>
    record?.disabled ? undefined : record
  const client = (r: ValidationRequest, key: string): Awaitable<ClientRecord | undefined> =>
    memo(r, CLIENT, key, () => {
      if (key === dummyClient) return undefined
      const record = clients.getClient(key)
      return record instanceof Promise ? record.then(enabled) : enabled(record)
    })
  const requestToken = (
    r: ValidationRequest,
    token: string,
  ): Awaitable<RequestTokenRecord | undefined> =>
    memo(r, REQUEST_TOKEN, token, () =>
      token === dummyRequestToken ? undefined : tokens.getRequestToken(token),
    )
  const accessToken = (
    r: ValidationRequest,
    token: string,
  ): Awaitable<AccessTokenRecord | undefined> =>
    memo(r, ACCESS_TOKEN, token, () =>
      token === dummyAccessToken ? undefined : tokens.getAccessToken(token),
    )

  const validator: RequestValidator = {
    allowedSignatureMethods: options.allowedSignatureMethods ?? SIGNATURE_METHODS,
    timestampLifetime: lifetime,
    enforceTls,
    allowInsecureLoopback,
    allowPlaintextWithoutNonce: options.allowPlaintextWithoutNonce ?? false,
    dummyClient,
    dummyRequestToken,
    dummyAccessToken,

    checkClientKey: (key) => matches(idRule, key),
    checkRequestToken: (token) => matches(idRule, token),
    checkAccessToken: (token) => matches(idRule, token),
    checkVerifier: (verifier) => matches(idRule, verifier),
    checkNonce: (nonce) => matches(nonceRule, nonce),
    checkRealms: (realms) => providerRealms === undefined || isSubset(realms, providerRealms),

    // The hot-path methods answer synchronously when the store does (MemoryStore), so a
    // verification does not pay for a promise per lookup.
    getClientSecret: (key, r) => map(client(r, key), (c) => c?.clientSecret ?? dummySecret),
    getRequestTokenSecret: (key, token, r) =>
      map(requestToken(r, token), (t) =>
        t !== undefined && t.clientKey === key ? t.secret : dummySecret,
      ),
    getAccessTokenSecret: (key, token, r) =>
      map(accessToken(r, token), (t) =>
        t !== undefined && t.clientKey === key ? t.secret : dummySecret,
      ),
    getRsaKey: (key, r) => map(client(r, key), (c) => c?.rsaPublicKey ?? DUMMY_RSA_PUBLIC_KEY),
    async getDefaultRealms(key, r) {
      return (await client(r, key))?.defaultRealms ?? []
    },
    async getRealms(token, r) {
      return (await requestToken(r, token))?.realms ?? []
    },
    async getRedirectUri(token, r) {
      const record = await requestToken(r, token)
      if (record === undefined) throw new TokenRejectedError()
      return record.callback
    },

    validateClientKey: (key, r) => map(client(r, key), (c) => c !== undefined),
    validateRequestToken: (key, token, r) =>
      map(requestToken(r, token), (t) => t?.clientKey === key),
    validateAccessToken: (key, token, r) => map(accessToken(r, token), (t) => t?.clientKey === key),
    validateTimestampAndNonce(key, timestamp, nonce, _r, { requestToken: rt, accessToken: at }) {
      // A nonce must be remembered for as long as its timestamp stays acceptable.
      return nonces.claimNonce({ clientKey: key, timestamp, nonce, token: rt ?? at }, 2 * lifetime)
    },
    async validateRedirectUri(key, uri, r) {
      if (uri === 'oob') return true
      // A URI is printable ASCII (RFC 3986 §2): anything else would reach the Location header.
      if (!/^[\x21-\x7e]+$/.test(uri) || !/^https?:\/\/[^/?#]+/i.test(uri)) return false
      const registered = (await client(r, key))?.callbackUris
      if (registered === undefined || registered.length === 0) return true
      const base = withoutQuery(uri)
      return registered.some((allowed) => allowed === uri || allowed === base)
    },
    async validateRequestedRealms(key, realms, r) {
      const allowed = (await client(r, key))?.allowedRealms
      return allowed === undefined || isSubset(realms, allowed)
    },
    validateRealms: (_key, token, r, { realms }) =>
      map(
        accessToken(r, token),
        (t) => t !== undefined && (realms === undefined || isSubset(realms, t.realms)),
      ),
    async validateVerifier(key, token, verifier, r) {
      const record = await requestToken(r, token)
      const mine = record !== undefined && record.clientKey === key ? record : undefined
      if (mine?.verifier === undefined && mine?.verifierHash !== undefined) {
        return timingSafeEqual(mine.verifierHash, await sha256Hex(verifier))
      }
      const expected = mine?.verifier
      // Compare against something of the same shape either way.
      return timingSafeEqual(expected ?? dummySecret, verifier) && expected !== undefined
    },
    async verifyRequestToken(token, r) {
      const record = await requestToken(r, token)
      return (
        record !== undefined && record.verifier === undefined && record.verifierHash === undefined
      )
    },
    async verifyRealms(token, realms, r) {
      const record = await requestToken(r, token)
      return record !== undefined && isSubset(realms, record.realms)
    },

    async saveRequestToken(token, r) {
      const created = now()
      await tokens.saveRequestToken(
        {
          token: token.oauth_token,
          secret: token.oauth_token_secret,
          clientKey: r.clientKey as string,
          callback: r.redirectUri ?? 'oob',
          realms: r.realms,
          createdAt: created,
          expiresAt: created + requestTokenTtl * 1000,
        },
        requestTokenTtl,
      )
    },
    async saveVerifier(token, verifier, r) {
      const granted = await tokens.authorizeRequestToken(token, {
        verifier: verifier.oauth_verifier,
        resourceOwner: r.resourceOwner,
        realms: r.realms,
      })
      // Lost a race with another approval of the same token.
      if (!granted) throw new TokenRejectedError()
    },
    async saveAccessToken(token, r) {
      await tokens.saveAccessToken(accessRecord(token, r))
    },
    async invalidateRequestToken(_key, token) {
      await tokens.deleteRequestToken(token)
    },
    async exchangeRequestToken({ clientKey, requestToken: rt, verifier, accessToken: at }, r) {
      return tokens.exchangeRequestToken({
        requestToken: rt,
        clientKey,
        verifier,
        accessToken: {
          ...accessRecord(at, r),
          resourceOwner: (await requestToken(r, rt))?.resourceOwner,
        },
      })
    },
    async getTokenInfo(kind, token, r): Promise<TokenInfo | undefined> {
      const record = kind === 'request' ? await requestToken(r, token) : await accessToken(r, token)
      if (record === undefined) return undefined
      return {
        clientKey: record.clientKey,
        resourceOwner: record.resourceOwner,
        realms: record.realms,
        redirectUri: kind === 'request' ? (record as RequestTokenRecord).callback : undefined,
      }
    },
  }

  function accessRecord(
    token: {
      readonly oauth_token: string
      readonly oauth_token_secret: string
      readonly oauth_authorized_realms: string
    },
    r: ValidationRequest,
  ): AccessTokenRecord {
    const created = now()
    return {
      token: token.oauth_token,
      secret: token.oauth_token_secret,
      clientKey: r.clientKey as string,
      resourceOwner: r.resourceOwner,
      realms: token.oauth_authorized_realms.split(' ').filter((x) => x !== ''),
      createdAt: created,
      expiresAt: accessTokenTtl === undefined ? undefined : created + accessTokenTtl * 1000,
    }
  }

  return validator
}
