import { createHash } from 'node:crypto'
import {
  type AccessTokenRecord,
  type ClientAdminStore,
  type ClientRecord,
  type NonceKey,
  type NonceStore,
  type RequestTokenRecord,
  StoreUnavailableError,
  type TokenExchange,
  type TokenStore,
} from '@x/oauth1-core'
import type { Cluster, Redis } from 'ioredis'
import { hasHashTag, KeyLayout } from './keys.js'
import { AUTHORIZE, EXCHANGE, type LuaScript } from './scripts.js'

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Prefix of every key (default `oauth1:`). A hash tag in it (`{oauth1}:`) pins all keys to one Cluster slot. */
  readonly keyPrefix?: string | undefined
  /**
   * Deadline of each store operation in milliseconds (default 1000; 0 disables). A
   * server that does not answer in time yields `StoreUnavailableError` (503), never a
   * hung request.
   */
  readonly commandTimeout?: number | undefined
  /** `Retry-After` seconds of the 503 answered while Redis is unavailable (default 1). */
  readonly retryAfter?: number | undefined
  /** Clock in milliseconds (default `Date.now`); share it with the validator. */
  readonly now?: (() => number) | undefined
}

type Connection = Redis | Cluster

/** Lowercase hex SHA-256 of a verifier: what the store keeps instead of the verifier. */
function hashVerifier(verifier: string): string {
  return createHash('sha256').update(verifier, 'utf8').digest('hex')
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}

function parseJson<T>(text: string, what: string): T {
  const value: unknown = JSON.parse(text)
  if (value === null || typeof value !== 'object') throw new Error(`malformed ${what} record`)
  return value as T
}

function encodeRequestToken(record: RequestTokenRecord, expiresAt: number): string[] {
  const fields = [
    'token',
    record.token,
    'secret',
    record.secret,
    'clientKey',
    record.clientKey,
    'callback',
    record.callback,
    'realms',
    JSON.stringify(record.realms),
    'createdAt',
    String(record.createdAt),
    'expiresAt',
    String(expiresAt),
  ]
  if (record.resourceOwner !== undefined) fields.push('resourceOwner', record.resourceOwner)
  const verifierHash =
    record.verifierHash ??
    (record.verifier === undefined ? undefined : hashVerifier(record.verifier))
  if (verifierHash !== undefined) fields.push('verifierHash', verifierHash)
  return fields
}

function decodeRequestToken(hash: Record<string, string>): RequestTokenRecord | undefined {
  if (hash.token === undefined) return undefined
  const { token, secret, clientKey, callback, realms, createdAt, expiresAt } = hash
  if (
    secret === undefined ||
    clientKey === undefined ||
    callback === undefined ||
    realms === undefined ||
    expiresAt === undefined
  ) {
    throw new Error('malformed request token record')
  }
  return {
    token,
    secret,
    clientKey,
    callback,
    realms: parseJson<string[]>(realms, 'request token'),
    createdAt: Number(createdAt),
    expiresAt: Number(expiresAt),
    verifierHash: hash.verifierHash,
    resourceOwner: hash.resourceOwner,
  }
}

function decodeAccessToken(text: string): AccessTokenRecord {
  const record = parseJson<AccessTokenRecord>(text, 'access token')
  if (typeof record.token !== 'string' || typeof record.clientKey !== 'string') {
    throw new Error('malformed access token record')
  }
  return record
}

function checkExec(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('transaction aborted')
  for (const [error] of results) if (error) throw error
}

/**
 * Clients, nonces, request tokens, verifiers and access tokens on Redis or Redis
 * Cluster, through an ioredis connection the caller owns (this store never connects,
 * disconnects or listens for events). Implements the core's `ClientAdminStore`,
 * `NonceStore` and `TokenStore` with the semantics of `MemoryStore`; shared by every
 * process of a provider.
 *
 * - Nonce claims are one `SET … NX EX` each.
 * - Authorizing a request token and exchanging it are Lua scripts on the request token's
 *   key: each happens at most once, under any concurrency.
 * - Verifiers are kept as SHA-256 hex only; nonce keys are digests.
 * - Every failure (error, timeout, lost connection) is a `StoreUnavailableError`: the
 *   endpoints answer 503 with `Retry-After` and accept nothing.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * redis.on('error', (err) => log.warn(err))
 * const store = new RedisStore(redis)
 * const validator = createRequestValidator({ clients: store, nonces: store, tokens: store })
 * ```
 */
export class RedisStore implements ClientAdminStore, NonceStore, TokenStore {
  readonly #redis: Connection
  readonly #keys: KeyLayout
  readonly #timeout: number
  readonly #retryAfter: number
  readonly #now: () => number
  /** Single node, or every key in one slot: multi-key steps run as one script. */
  readonly #oneSlot: boolean

  /**
   * @param redis - An ioredis `Redis` or `Cluster`; the caller connects and closes it.
   * @param options - Key prefix, deadline, clock.
   * @throws {TypeError} for a missing connection or bad options.
   */
  constructor(redis: Redis | Cluster, options: RedisStoreOptions = {}) {
    if (redis === null || typeof redis !== 'object' || typeof redis.evalsha !== 'function') {
      throw new TypeError('RedisStore needs an ioredis Redis or Cluster instance')
    }
    const timeout = options.commandTimeout ?? 1000
    if (!(timeout >= 0)) throw new TypeError('commandTimeout must be a number of milliseconds >= 0')
    const retryAfter = options.retryAfter ?? 1
    if (!(retryAfter >= 0)) throw new TypeError('retryAfter must be a number of seconds >= 0')
    const prefix = options.keyPrefix ?? 'oauth1:'
    if (typeof prefix !== 'string') throw new TypeError('keyPrefix must be a string')
    this.#redis = redis
    this.#keys = new KeyLayout(prefix)
    this.#timeout = timeout
    this.#retryAfter = retryAfter
    this.#now = options.now ?? Date.now
    this.#oneSlot = !redis.isCluster || hasHashTag(prefix)
  }

  // Clients

  getClient(clientKey: string): Promise<ClientRecord | undefined> {
    return this.#run('getClient', async () => {
      const text = await this.#redis.get(this.#keys.client(clientKey))
      return text === null ? undefined : parseJson<ClientRecord>(text, 'client')
    })
  }

  saveClient(client: ClientRecord): Promise<void> {
    if (typeof client?.clientKey !== 'string' || client.clientKey === '') {
      throw new TypeError('a client needs a clientKey')
    }
    const text = JSON.stringify(client)
    return this.#run('saveClient', async () => {
      // Index first: a failure in between leaves an entry that listing prunes, never an
      // unlisted client.
      await this.#redis.sadd(this.#keys.clients, client.clientKey)
      await this.#redis.set(this.#keys.client(client.clientKey), text)
    })
  }

  deleteClient(clientKey: string): Promise<boolean> {
    return this.#run('deleteClient', async () => {
      const deleted = await this.#redis.del(this.#keys.client(clientKey))
      await this.#redis.srem(this.#keys.clients, clientKey)
      return deleted > 0
    })
  }

  listClients(): Promise<ClientRecord[]> {
    return this.#run('listClients', async () => {
      const keys = await this.#redis.smembers(this.#keys.clients)
      const texts = await Promise.all(keys.map((key) => this.#redis.get(this.#keys.client(key))))
      const out: ClientRecord[] = []
      const stale: string[] = []
      texts.forEach((text, i) => {
        if (text === null) stale.push(keys[i] as string)
        else out.push(parseJson<ClientRecord>(text, 'client'))
      })
      if (stale.length > 0) await this.#redis.srem(this.#keys.clients, ...stale)
      return out.sort((a, b) =>
        a.clientKey < b.clientKey ? -1 : a.clientKey > b.clientKey ? 1 : 0,
      )
    })
  }

  // Nonces

  claimNonce(key: NonceKey, ttlSeconds: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds))
    return this.#run('claimNonce', async () => {
      const reply = await this.#redis.set(this.#keys.nonce(key), '1', 'EX', ttl, 'NX')
      return reply === 'OK'
    })
  }

  // Request tokens

  saveRequestToken(record: RequestTokenRecord, ttlSeconds: number): Promise<void> {
    return this.#run('saveRequestToken', async () => {
      const now = this.#now()
      const expiresAt = Math.min(record.expiresAt, now + ttlSeconds * 1000)
      const key = this.#keys.requestToken(record.token)
      checkExec(
        await this.#redis
          .multi()
          .del(key)
          .hset(key, ...encodeRequestToken(record, expiresAt))
          .pexpire(key, Math.max(1, Math.ceil(expiresAt - now)))
          .exec(),
      )
    })
  }

  getRequestToken(token: string): Promise<RequestTokenRecord | undefined> {
    return this.#run('getRequestToken', async () => {
      const record = decodeRequestToken(await this.#redis.hgetall(this.#keys.requestToken(token)))
      return record !== undefined && record.expiresAt > this.#now() ? record : undefined
    })
  }

  authorizeRequestToken(
    token: string,
    grant: {
      readonly verifier: string
      readonly resourceOwner?: string | undefined
      readonly realms: readonly string[]
    },
  ): Promise<boolean> {
    return this.#run('authorizeRequestToken', async () => {
      const reply = await this.#eval(
        AUTHORIZE,
        [this.#keys.requestToken(token)],
        [
          this.#now(),
          hashVerifier(grant.verifier),
          JSON.stringify(grant.realms),
          grant.resourceOwner === undefined ? '0' : '1',
          grant.resourceOwner ?? '',
        ],
      )
      return reply === 1
    })
  }

  deleteRequestToken(token: string): Promise<void> {
    return this.#run('deleteRequestToken', async () => {
      await this.#redis.del(this.#keys.requestToken(token))
    })
  }

  exchangeRequestToken(exchange: TokenExchange): Promise<boolean> {
    return this.#run('exchangeRequestToken', async () => {
      const at = exchange.accessToken
      const now = this.#now()
      const requestTokenKey = this.#keys.requestToken(exchange.requestToken)
      const check = [exchange.clientKey, hashVerifier(exchange.verifier), now]
      if (this.#oneSlot) {
        const keys = [
          requestTokenKey,
          this.#keys.accessToken(at.token),
          this.#keys.accessTokensOfClient(at.clientKey),
        ]
        if (at.resourceOwner !== undefined) {
          keys.push(this.#keys.accessTokensOfOwner(at.resourceOwner))
        }
        const args = [...check, at.token, JSON.stringify(at), accessTokenTtl(at, now)]
        return (await this.#eval(EXCHANGE, keys, args)) === 1
      }
      // Cluster: the decision (check and consume) is atomic on the request token's slot;
      // the access token and its index entries live in other slots and follow. If they
      // fail, the request token is spent and no access token exists: the client gets a
      // 503 and starts over, and no second token can ever be issued for it.
      if ((await this.#eval(EXCHANGE, [requestTokenKey], check)) !== 1) return false
      await this.#writeAccessToken(at, now)
      return true
    })
  }

  // Access tokens

  saveAccessToken(record: AccessTokenRecord): Promise<void> {
    return this.#run('saveAccessToken', () => this.#writeAccessToken(record, this.#now()))
  }

  getAccessToken(token: string): Promise<AccessTokenRecord | undefined> {
    return this.#run('getAccessToken', () => this.#getAccessToken(token))
  }

  revokeAccessToken(token: string): Promise<boolean> {
    return this.#run('revokeAccessToken', () => this.#revokeAccessToken(token))
  }

  listAccessTokens(filter: {
    readonly clientKey?: string | undefined
    readonly resourceOwner?: string | undefined
  }): Promise<AccessTokenRecord[]> {
    return this.#run('listAccessTokens', async () => {
      let index: string | undefined
      let tokens: string[]
      if (filter.clientKey !== undefined) {
        index = this.#keys.accessTokensOfClient(filter.clientKey)
        tokens = await this.#redis.smembers(index)
      } else if (filter.resourceOwner !== undefined) {
        index = this.#keys.accessTokensOfOwner(filter.resourceOwner)
        tokens = await this.#redis.smembers(index)
      } else {
        tokens = await this.#scanAccessTokens()
      }
      const records = await Promise.all(tokens.map((token) => this.#getAccessToken(token)))
      const indexed = (record: AccessTokenRecord): boolean =>
        filter.clientKey !== undefined
          ? record.clientKey === filter.clientKey
          : record.resourceOwner === filter.resourceOwner
      const out: AccessTokenRecord[] = []
      const stale: string[] = []
      records.forEach((record, i) => {
        // Gone, expired, or since replaced by a token of another client or user.
        if (record === undefined || (index !== undefined && !indexed(record))) {
          stale.push(tokens[i] as string)
          return
        }
        if (filter.resourceOwner !== undefined && record.resourceOwner !== filter.resourceOwner) {
          return
        }
        out.push(record)
      })
      if (index !== undefined && stale.length > 0) await this.#redis.srem(index, ...stale)
      return out.sort((a, b) => a.createdAt - b.createdAt || (a.token < b.token ? -1 : 1))
    })
  }

  async #getAccessToken(token: string): Promise<AccessTokenRecord | undefined> {
    const text = await this.#redis.get(this.#keys.accessToken(token))
    if (text === null) return undefined
    const record = decodeAccessToken(text)
    if (record.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      await this.#revokeAccessToken(token)
      return undefined
    }
    return record
  }

  async #revokeAccessToken(token: string): Promise<boolean> {
    const text = await this.#redis.getdel(this.#keys.accessToken(token))
    if (text === null) return false
    const record = decodeAccessToken(text)
    await Promise.all(this.#indexKeys(record).map((index) => this.#redis.srem(index, record.token)))
    return true
  }

  async #writeAccessToken(record: AccessTokenRecord, now: number): Promise<void> {
    const key = this.#keys.accessToken(record.token)
    const text = JSON.stringify(record)
    const ttl = accessTokenTtl(record, now)
    const indexes = this.#indexKeys(record)
    if (this.#oneSlot) {
      const tx = this.#redis.multi()
      if (ttl > 0) tx.set(key, text, 'PX', ttl)
      else tx.set(key, text)
      for (const index of indexes) tx.sadd(index, record.token)
      checkExec(await tx.exec())
      return
    }
    // Index entries first: a failure in between leaves an entry that listing prunes,
    // never a token that cannot be listed (and so revoked).
    await Promise.all(indexes.map((index) => this.#redis.sadd(index, record.token)))
    if (ttl > 0) await this.#redis.set(key, text, 'PX', ttl)
    else await this.#redis.set(key, text)
  }

  #indexKeys(record: AccessTokenRecord): string[] {
    const keys = [this.#keys.accessTokensOfClient(record.clientKey)]
    if (record.resourceOwner !== undefined) {
      keys.push(this.#keys.accessTokensOfOwner(record.resourceOwner))
    }
    return keys
  }

  async #scanAccessTokens(): Promise<string[]> {
    const nodes: Redis[] = this.#redis.isCluster
      ? (this.#redis as Cluster).nodes('master')
      : [this.#redis as Redis]
    const pattern = this.#keys.accessTokenPattern()
    const skip = this.#keys.accessToken('').length - 1
    const tokens: string[] = []
    for (const node of nodes) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
        for (const key of keys) tokens.push(key.slice(skip, -1))
        cursor = next
      } while (cursor !== '0')
    }
    return tokens
  }

  async #eval(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#redis.evalsha(script.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return this.#redis.eval(script.lua, keys.length, ...keys, ...args)
    }
  }

  /**
   * Runs one store operation under the deadline; every failure becomes a
   * `StoreUnavailableError`. Its message is generic (it reaches clients as
   * `error_description`); the Redis error is kept as `cause`.
   */
  async #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const pending = work()
      if (this.#timeout === 0) return await pending
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new StoreUnavailableError(
              `Temporarily unavailable: the store timed out (${operation})`,
              { retryAfter: this.#retryAfter },
            ),
          )
        }, this.#timeout)
      })
      return await Promise.race([pending, deadline])
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error
      throw new StoreUnavailableError(`Temporarily unavailable: the store failed (${operation})`, {
        retryAfter: this.#retryAfter,
        cause: error,
      })
    } finally {
      if (timer !== undefined) clearTimeout(timer)
    }
  }
}

function accessTokenTtl(record: AccessTokenRecord, now: number): number {
  return record.expiresAt === undefined ? 0 : Math.max(1, Math.ceil(record.expiresAt - now))
}
