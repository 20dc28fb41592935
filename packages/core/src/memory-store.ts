import { StoreUnavailableError } from './errors.js'
import { timingSafeEqual } from './signature/timing-safe-equal.js'
import type {
  AccessTokenRecord,
  ClientAdminStore,
  ClientRecord,
  NonceKey,
  NonceStore,
  RequestTokenRecord,
  TokenExchange,
  TokenStore,
} from './stores.js'

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: (() => number) | undefined
  /**
   * Most nonces held at once (default 5,000,000, about 600 MB at most). When full, new
   * claims fail closed with `StoreUnavailableError` (503) instead of forgetting a live
   * nonce, which would allow a replay.
   */
  readonly maxNonces?: number | undefined
  /** Most unexchanged request tokens held at once (default 1,000,000); same rule. */
  readonly maxRequestTokens?: number | undefined
}

function nonceKey(key: NonceKey): string {
  const token = key.token ?? ''
  // Length prefixes keep the key unambiguous whatever characters the parts hold. join()
  // builds one flat string: a template literal would keep a tree of the parts (and the
  // request strings they were sliced from) alive, several times the memory, and hashing
  // such a tree on every lookup is slow.
  return [
    key.clientKey.length,
    key.clientKey,
    token.length,
    token,
    key.timestamp.length,
    key.timestamp,
    key.nonce,
  ].join(':')
}

function addToIndex(index: Map<string, Set<string>>, key: string | undefined, token: string): void {
  if (key === undefined) return
  let set = index.get(key)
  if (set === undefined) {
    set = new Set()
    index.set(key, set)
  }
  set.add(token)
}

function removeFromIndex(
  index: Map<string, Set<string>>,
  key: string | undefined,
  token: string,
): void {
  if (key === undefined) return
  const set = index.get(key)
  if (set === undefined) return
  set.delete(token)
  if (set.size === 0) index.delete(key)
}

/**
 * The embedded store: clients, nonces and tokens in this process's memory. Every
 * operation is synchronous, so each is atomic even under concurrent async callers.
 * Memory is bounded: expired nonces and request tokens are evicted as new ones arrive
 * (no timer per entry; entries expire in insertion order). State is lost on restart and
 * not shared between processes: use a shared store (Redis) for more than one process.
 *
 * @example
 * ```ts
 * const store = new MemoryStore()
 * store.saveClient({ clientKey: 'key', clientSecret: 'secret' })
 * const validator = createRequestValidator({ clients: store, nonces: store, tokens: store })
 * ```
 */
export class MemoryStore implements ClientAdminStore, NonceStore, TokenStore {
  readonly #now: () => number
  readonly #maxNonces: number
  readonly #maxRequestTokens: number
  readonly #clients = new Map<string, ClientRecord>()
  /** Nonce key → expiry in seconds since `#epoch` (small integers stay unboxed). */
  readonly #nonces = new Map<string, number>()
  readonly #epoch: number
  #lastNonceSweep = -1
  readonly #requestTokens = new Map<string, RequestTokenRecord>()
  readonly #accessTokens = new Map<string, AccessTokenRecord>()
  readonly #byClient = new Map<string, Set<string>>()
  readonly #byOwner = new Map<string, Set<string>>()

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#maxNonces = options.maxNonces ?? 5_000_000
    this.#maxRequestTokens = options.maxRequestTokens ?? 1_000_000
    this.#epoch = Math.floor(this.#now() / 1000)
  }

  /** Number of nonces currently held (live or not yet evicted). */
  get nonceCount(): number {
    return this.#nonces.size
  }

  /** Number of request tokens currently held. */
  get requestTokenCount(): number {
    return this.#requestTokens.size
  }

  // Clients

  getClient(clientKey: string): ClientRecord | undefined {
    return this.#clients.get(clientKey)
  }

  saveClient(client: ClientRecord): void {
    if (typeof client?.clientKey !== 'string' || client.clientKey === '') {
      throw new TypeError('a client needs a clientKey')
    }
    this.#clients.set(client.clientKey, { ...client })
  }

  deleteClient(clientKey: string): boolean {
    return this.#clients.delete(clientKey)
  }

  listClients(): ClientRecord[] {
    return [...this.#clients.values()]
  }

  // Nonces

  claimNonce(key: NonceKey, ttlSeconds: number): boolean {
    const now = Math.floor(this.#now() / 1000) - this.#epoch
    this.#evictNonces(now)
    const k = nonceKey(key)
    const expires = this.#nonces.get(k)
    if (expires !== undefined && expires > now) return false
    if (expires === undefined && this.#nonces.size >= this.#maxNonces) {
      throw new StoreUnavailableError('nonce store is full', { retryAfter: 1 })
    }
    // An expired entry is re-inserted at the end, where new expiries go.
    if (expires !== undefined) this.#nonces.delete(k)
    this.#nonces.set(k, now + Math.ceil(ttlSeconds))
    return true
  }

  #evictNonces(now: number): void {
    // Expiry has a one-second resolution: one sweep per second is enough.
    if (now === this.#lastNonceSweep) return
    this.#lastNonceSweep = now
    for (const [k, expires] of this.#nonces) {
      if (expires > now) break
      this.#nonces.delete(k)
    }
  }

  // Request tokens

  saveRequestToken(record: RequestTokenRecord, ttlSeconds: number): void {
    const now = this.#now()
    this.#evictRequestTokens(now)
    if (this.#requestTokens.size >= this.#maxRequestTokens) {
      throw new StoreUnavailableError('request token store is full', { retryAfter: 1 })
    }
    this.#requestTokens.set(record.token, {
      ...record,
      expiresAt: Math.min(record.expiresAt, now + ttlSeconds * 1000),
    })
  }

  #evictRequestTokens(now: number): void {
    for (const [k, record] of this.#requestTokens) {
      if (record.expiresAt > now) break
      this.#requestTokens.delete(k)
    }
  }

  getRequestToken(token: string): RequestTokenRecord | undefined {
    const record = this.#requestTokens.get(token)
    return record !== undefined && record.expiresAt > this.#now() ? record : undefined
  }

  authorizeRequestToken(
    token: string,
    grant: {
      readonly verifier: string
      readonly resourceOwner?: string | undefined
      readonly realms: readonly string[]
    },
  ): boolean {
    const record = this.getRequestToken(token)
    if (record === undefined || record.verifier !== undefined) return false
    this.#requestTokens.set(token, {
      ...record,
      verifier: grant.verifier,
      resourceOwner: grant.resourceOwner,
      realms: grant.realms,
    })
    return true
  }

  deleteRequestToken(token: string): void {
    this.#requestTokens.delete(token)
  }

  exchangeRequestToken(exchange: TokenExchange): boolean {
    const record = this.getRequestToken(exchange.requestToken)
    if (
      record === undefined ||
      record.clientKey !== exchange.clientKey ||
      record.verifier === undefined ||
      !timingSafeEqual(record.verifier, exchange.verifier)
    ) {
      return false
    }
    this.#requestTokens.delete(exchange.requestToken)
    this.saveAccessToken(exchange.accessToken)
    return true
  }

  // Access tokens

  saveAccessToken(record: AccessTokenRecord): void {
    const previous = this.#accessTokens.get(record.token)
    if (previous !== undefined) {
      // A replaced token must not stay listed under its former client or user.
      removeFromIndex(this.#byClient, previous.clientKey, record.token)
      removeFromIndex(this.#byOwner, previous.resourceOwner, record.token)
    }
    this.#accessTokens.set(record.token, { ...record })
    addToIndex(this.#byClient, record.clientKey, record.token)
    addToIndex(this.#byOwner, record.resourceOwner, record.token)
  }

  getAccessToken(token: string): AccessTokenRecord | undefined {
    const record = this.#accessTokens.get(token)
    if (record === undefined) return undefined
    if (record.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      this.revokeAccessToken(token)
      return undefined
    }
    return record
  }

  revokeAccessToken(token: string): boolean {
    const record = this.#accessTokens.get(token)
    if (record === undefined) return false
    this.#accessTokens.delete(token)
    removeFromIndex(this.#byClient, record.clientKey, token)
    removeFromIndex(this.#byOwner, record.resourceOwner, token)
    return true
  }

  listAccessTokens(filter: {
    readonly clientKey?: string | undefined
    readonly resourceOwner?: string | undefined
  }): AccessTokenRecord[] {
    let candidates: Iterable<string>
    if (filter.clientKey !== undefined) candidates = this.#byClient.get(filter.clientKey) ?? []
    else if (filter.resourceOwner !== undefined)
      candidates = this.#byOwner.get(filter.resourceOwner) ?? []
    else candidates = this.#accessTokens.keys()
    const out: AccessTokenRecord[] = []
    for (const token of [...candidates]) {
      const record = this.getAccessToken(token)
      if (record === undefined) continue
      if (filter.resourceOwner !== undefined && record.resourceOwner !== filter.resourceOwner)
        continue
      out.push(record)
    }
    return out
  }
}
