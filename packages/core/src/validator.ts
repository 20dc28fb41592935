import type { OAuthRequest } from './request.js'
import type { Param } from './signature/encoding.js'
import type { RsaPublicKey } from './signature/methods.js'

/** A value or a promise of it: every validator and store method may be sync or async. */
export type Awaitable<T> = T | Promise<T>

/**
 * The request as the validator sees it: the neutral request plus what the endpoint
 * parsed from it. Endpoints fill the fields; validators only read them (except `state`,
 * a scratch space a validator may use to cache lookups for the length of one request).
 */
export interface ValidationRequest extends OAuthRequest {
  /** `oauth_consumer_key`. */
  readonly clientKey: string | undefined
  /** `oauth_token` (request or access token), if any. */
  readonly resourceOwnerKey: string | undefined
  readonly nonce: string | undefined
  readonly timestamp: string | undefined
  readonly signatureMethod: string | undefined
  /** The decoded `oauth_signature`. */
  readonly signature: string | undefined
  /** `oauth_callback`. */
  readonly redirectUri: string | undefined
  /** `oauth_verifier`. */
  readonly verifier: string | undefined
  /** Realms the request asked for, or (authorization step) the realms the user granted. */
  realms: readonly string[]
  /** The protocol parameters (`oauth_*`) as sent, decoded. */
  readonly oauthParams: readonly Param[]
  /** Every signed parameter (query, header, body; no `oauth_signature`, no header realm). */
  readonly params: readonly Param[]
  /** Where the protocol parameters came from. */
  readonly signatureType: 'AUTH_HEADER' | 'QUERY' | 'BODY' | undefined
  /** The resource owner who approved (authorization step only). */
  resourceOwner: string | undefined
  /** Scratch space for the validator, cleared with the request. */
  readonly state: Map<unknown, unknown>
}

/** The request-token record handed to `saveRequestToken` (RFC 5849 §2.1). */
export interface RequestTokenResponse {
  readonly oauth_token: string
  readonly oauth_token_secret: string
  readonly oauth_callback_confirmed: 'true'
  readonly [credential: string]: string
}

/** The verifier record handed to `saveVerifier` (RFC 5849 §2.2). */
export interface VerifierResponse {
  readonly oauth_token: string
  readonly oauth_verifier: string
  readonly [credential: string]: string
}

/** The access-token record handed to `saveAccessToken` (RFC 5849 §2.3). */
export interface AccessTokenResponse {
  readonly oauth_token: string
  readonly oauth_token_secret: string
  /** Space-separated realms. */
  readonly oauth_authorized_realms: string
  readonly [credential: string]: string
}

/** What a provider may tell about a token beyond its validity (see {@link RequestValidator.getTokenInfo}). */
export interface TokenInfo {
  readonly clientKey: string
  /** The user who authorized it, when known. */
  readonly resourceOwner?: string | undefined
  readonly realms: readonly string[]
  /** Request tokens: the callback (`oob` for out-of-band). */
  readonly redirectUri?: string | undefined
}

/** Input of {@link RequestValidator.exchangeRequestToken}. */
export interface RequestTokenExchange {
  readonly clientKey: string
  readonly requestToken: string
  readonly verifier: string
  readonly accessToken: AccessTokenResponse
}

/**
 * The provider's side of the protocol: oauthlib's `RequestValidator` contract in
 * camelCase (reference §4). Endpoints decide the protocol; the validator answers
 * questions about clients, tokens and policy. Every method may return a promise.
 *
 * Rules every implementation must keep:
 * - When a client or token does not exist, the `get*Secret` / `getRsaKey` methods must
 *   still answer (for the `dummy*` identifiers) in similar time, so that an unknown
 *   client costs the same work as a known one (RFC 5849 §4.6 timing attacks).
 * - Compare secrets and verifiers in constant time.
 * - Throw `StoreUnavailableError` when storage cannot answer; endpoints then fail closed
 *   with a 503. Any other exception propagates to the caller unchanged.
 *
 * `createRequestValidator` builds a complete, safe implementation on three small store
 * interfaces; implement this interface directly only for unusual needs.
 */
export interface RequestValidator {
  /** Signature methods this provider accepts (400 `signature_method_rejected` otherwise). */
  readonly allowedSignatureMethods: readonly string[]
  /** Accepted clock skew in seconds, both directions (RFC 5849 §3.3). */
  readonly timestampLifetime: number
  /** Require `https://` request URLs (RFC 5849 §3.4.4, §4.1). */
  readonly enforceTls: boolean
  /** Exempt loopback (127.0.0.0/8, ::1) from `enforceTls`, e.g. for local development. */
  readonly allowInsecureLoopback: boolean
  /** Accept PLAINTEXT requests without `oauth_nonce` / `oauth_timestamp` (RFC 5849 §3.4.4 allows it). */
  readonly allowPlaintextWithoutNonce: boolean
  /** Identifier substituted for an unknown client, so the work stays the same. */
  readonly dummyClient: string
  /** Identifier substituted for an unknown request token. */
  readonly dummyRequestToken: string
  /** Identifier substituted for an unknown access token. */
  readonly dummyAccessToken: string

  /** Format check of a client key, before any lookup. */
  checkClientKey(clientKey: string): boolean
  /** Format check of a request token. */
  checkRequestToken(token: string): boolean
  /** Format check of an access token. */
  checkAccessToken(token: string): boolean
  /** Format check of a nonce. */
  checkNonce(nonce: string): boolean
  /** Format check of a verifier. */
  checkVerifier(verifier: string): boolean
  /** Whether every requested realm exists on this provider. */
  checkRealms(realms: readonly string[]): boolean

  /** The client's shared secret; for the dummy client a stand-in of similar cost. */
  getClientSecret(clientKey: string, request: ValidationRequest): Awaitable<string>
  /** A request token's secret; for the dummy token a stand-in. */
  getRequestTokenSecret(
    clientKey: string,
    token: string,
    request: ValidationRequest,
  ): Awaitable<string>
  /** An access token's secret; for the dummy token a stand-in. */
  getAccessTokenSecret(
    clientKey: string,
    token: string,
    request: ValidationRequest,
  ): Awaitable<string>
  /** The client's RSA public key (PEM or imported); for the dummy client a key of the same size. */
  getRsaKey(clientKey: string, request: ValidationRequest): Awaitable<string | RsaPublicKey>
  /** Realms for a request-token request that names none. */
  getDefaultRealms(clientKey: string, request: ValidationRequest): Awaitable<readonly string[]>
  /** Realms bound to a request token. */
  getRealms(token: string, request: ValidationRequest): Awaitable<readonly string[]>
  /** The callback stored with a request token (`oob` for out-of-band). */
  getRedirectUri(token: string, request: ValidationRequest): Awaitable<string>

  /** Whether the client exists and may use the provider. */
  validateClientKey(clientKey: string, request: ValidationRequest): Awaitable<boolean>
  /** Whether the request token exists, belongs to the client, is unused and unexpired. */
  validateRequestToken(
    clientKey: string,
    token: string,
    request: ValidationRequest,
  ): Awaitable<boolean>
  /** Whether the access token exists, belongs to the client and is not revoked. */
  validateAccessToken(
    clientKey: string,
    token: string,
    request: ValidationRequest,
  ): Awaitable<boolean>
  /**
   * Replay protection (RFC 5849 §3.3): record the nonce for this timestamp, client and
   * token, and answer `false` if it was already used. Must be atomic.
   */
  validateTimestampAndNonce(
    clientKey: string,
    timestamp: string,
    nonce: string,
    request: ValidationRequest,
    tokens: {
      readonly requestToken?: string | undefined
      readonly accessToken?: string | undefined
    },
  ): Awaitable<boolean>
  /** Whether the callback is allowed for this client (`oob` included). */
  validateRedirectUri(
    clientKey: string,
    redirectUri: string,
    request: ValidationRequest,
  ): Awaitable<boolean>
  /** Whether the client may ask for these realms. */
  validateRequestedRealms(
    clientKey: string,
    realms: readonly string[],
    request: ValidationRequest,
  ): Awaitable<boolean>
  /** Whether the access token grants the realms the resource needs. */
  validateRealms(
    clientKey: string,
    token: string,
    request: ValidationRequest,
    resource: { readonly uri: string; readonly realms: readonly string[] | undefined },
  ): Awaitable<boolean>
  /** Whether the verifier matches the request token (constant time). Must not consume it. */
  validateVerifier(
    clientKey: string,
    token: string,
    verifier: string,
    request: ValidationRequest,
  ): Awaitable<boolean>
  /** Whether the request token may be authorized (the unsigned authorization step). */
  verifyRequestToken(token: string, request: ValidationRequest): Awaitable<boolean>
  /** Whether the realms the user granted are within those bound to the token. */
  verifyRealms(
    token: string,
    realms: readonly string[],
    request: ValidationRequest,
  ): Awaitable<boolean>

  /** Persist a new request token; the client is `request.clientKey`, realms `request.realms`. */
  saveRequestToken(token: RequestTokenResponse, request: ValidationRequest): Awaitable<void>
  /** Persist the verifier for an authorized request token (user: `request.resourceOwner`). */
  saveVerifier(
    token: string,
    verifier: VerifierResponse,
    request: ValidationRequest,
  ): Awaitable<void>
  /** Persist an access token (used only when `exchangeRequestToken` is not implemented). */
  saveAccessToken(token: AccessTokenResponse, request: ValidationRequest): Awaitable<void>
  /** Make a request token unusable (after an exchange, or when the user denies access). */
  invalidateRequestToken(
    clientKey: string,
    token: string,
    request: ValidationRequest,
  ): Awaitable<void>
  /**
   * Optional, recommended: in ONE atomic step, check that the request token is unused,
   * belongs to the client and matches the verifier, delete it, and store the access
   * token. Answer `false` when any of that fails (a concurrent exchange won). When
   * present, the access-token endpoint uses it instead of `saveAccessToken` followed by
   * `invalidateRequestToken`, which cannot be made race-free.
   */
  exchangeRequestToken?(
    exchange: RequestTokenExchange,
    request: ValidationRequest,
  ): Awaitable<boolean>
  /**
   * Optional: details of a valid token, for the application (the consent page needs the
   * client and realms of a request token; a protected route needs the user and realms of
   * an access token). Called only after the token was validated.
   */
  getTokenInfo?(
    kind: 'request' | 'access',
    token: string,
    request: ValidationRequest,
  ): Awaitable<TokenInfo | undefined>
}
