import type { Awaitable } from './validator.js'

/** A registered client (consumer). */
export interface ClientRecord {
  readonly clientKey: string
  /** Shared secret for HMAC and PLAINTEXT; absent for an RSA-only client. */
  readonly clientSecret?: string | undefined
  /** RSA public key (SPKI or PKCS#1 PEM, or an X.509 certificate) for the RSA methods. */
  readonly rsaPublicKey?: string | undefined
  /** Display name for consent pages. */
  readonly name?: string | undefined
  /**
   * Registered callbacks. When set, a request's `oauth_callback` must equal one of them
   * (ignoring the callback's query) or be `oob`. When empty or absent, any absolute
   * http(s) URI or `oob` is accepted.
   */
  readonly callbackUris?: readonly string[] | undefined
  /** Realms for request-token requests that name none. */
  readonly defaultRealms?: readonly string[] | undefined
  /** Realms this client may request; absent means any realm of the provider. */
  readonly allowedRealms?: readonly string[] | undefined
  /** A disabled client is treated as unknown. */
  readonly disabled?: boolean | undefined
  /** Owner or other application data; stores keep it as is. */
  readonly metadata?: Readonly<Record<string, string>> | undefined
}

/** Reads clients. */
export interface ClientStore {
  getClient(clientKey: string): Awaitable<ClientRecord | undefined>
}

/** Reads and manages clients (developer pages, admin tools). */
export interface ClientAdminStore extends ClientStore {
  /** Creates or replaces a client. */
  saveClient(client: ClientRecord): Awaitable<void>
  /** Answers whether a client was deleted. */
  deleteClient(clientKey: string): Awaitable<boolean>
  listClients(): Awaitable<ClientRecord[]>
}

/** What identifies a nonce use (RFC 5849 §3.3: per timestamp, client and token). */
export interface NonceKey {
  readonly clientKey: string
  readonly timestamp: string
  readonly nonce: string
  /** The request or access token of the request, if any. */
  readonly token?: string | undefined
}

/** Replay protection storage. */
export interface NonceStore {
  /**
   * Records a nonce use, atomically: `true` if it was new, `false` if already recorded
   * and not yet expired. It must be remembered for at least `ttlSeconds`. A store that
   * cannot record must throw `StoreUnavailableError`, never answer `true`.
   */
  claimNonce(key: NonceKey, ttlSeconds: number): Awaitable<boolean>
}

/** Temporary credentials, from issue to exchange (RFC 5849 §2.1–§2.3). */
export interface RequestTokenRecord {
  readonly token: string
  readonly secret: string
  readonly clientKey: string
  /** `oauth_callback` (or `oob`). */
  readonly callback: string
  readonly realms: readonly string[]
  /** Milliseconds since the epoch. */
  readonly createdAt: number
  readonly expiresAt: number
  /** Set once, when the resource owner approves. */
  readonly verifier?: string | undefined
  /**
   * For stores that keep no verifier at rest: instead of `verifier`, the lowercase hex
   * SHA-256 of its UTF-8 bytes, set once when the resource owner approves. The validator
   * then compares hashes (in constant time).
   */
  readonly verifierHash?: string | undefined
  readonly resourceOwner?: string | undefined
}

/** Token credentials. */
export interface AccessTokenRecord {
  readonly token: string
  readonly secret: string
  readonly clientKey: string
  readonly resourceOwner?: string | undefined
  readonly realms: readonly string[]
  readonly createdAt: number
  /** Absent: does not expire (until revoked). */
  readonly expiresAt?: number | undefined
}

/** Input of {@link TokenStore.exchangeRequestToken}. */
export interface TokenExchange {
  readonly requestToken: string
  readonly clientKey: string
  readonly verifier: string
  readonly accessToken: AccessTokenRecord
}

/**
 * Token storage. The operations that must be atomic are single operations here:
 * authorizing a request token (at most once) and exchanging it (at most once).
 */
export interface TokenStore {
  /** Stores a new request token; it expires after `ttlSeconds`. */
  saveRequestToken(record: RequestTokenRecord, ttlSeconds: number): Awaitable<void>
  /** An unexpired request token, or `undefined`. */
  getRequestToken(token: string): Awaitable<RequestTokenRecord | undefined>
  /**
   * Binds a verifier (and the approving user and realms) to an unexpired request token
   * that has none yet. Atomic; `false` when the token is missing, expired or already
   * authorized.
   */
  authorizeRequestToken(
    token: string,
    grant: {
      readonly verifier: string
      readonly resourceOwner?: string | undefined
      readonly realms: readonly string[]
    },
  ): Awaitable<boolean>
  deleteRequestToken(token: string): Awaitable<void>
  /**
   * In one atomic step: the request token exists, is unexpired, belongs to `clientKey`
   * and its verifier equals `verifier` (compared in constant time, or as hashes); then it
   * is deleted and the access token stored. `false` if any part fails.
   */
  exchangeRequestToken(exchange: TokenExchange): Awaitable<boolean>
  saveAccessToken(record: AccessTokenRecord): Awaitable<void>
  /** An unexpired, unrevoked access token, or `undefined`. */
  getAccessToken(token: string): Awaitable<AccessTokenRecord | undefined>
  /** Answers whether a token was revoked. */
  revokeAccessToken(token: string): Awaitable<boolean>
  /** Access tokens of a client and/or a user. */
  listAccessTokens(filter: {
    readonly clientKey?: string | undefined
    readonly resourceOwner?: string | undefined
  }): Awaitable<AccessTokenRecord[]>
}
