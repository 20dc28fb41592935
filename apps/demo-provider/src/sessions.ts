import { createHash, randomBytes } from 'node:crypto'
import { StoreUnavailableError } from '@x/oauth1-core'
import type { Redis } from 'ioredis'

/** What the demo keeps per browser. */
export interface SessionData {
  /** The signed-in user, if any. */
  readonly user: string | undefined
  /** Synchronizer token of every form this session posts. */
  readonly csrf: string
  /** Milliseconds since the epoch. */
  readonly expiresAt: number
}

/** Server-side sessions, addressed by the random id in the cookie. */
export interface SessionStore {
  get(id: string): Promise<SessionData | undefined>
  set(id: string, data: SessionData): Promise<void>
  delete(id: string): Promise<void>
}

/** A session id: 32 bytes from the CSPRNG, base64url (43 characters). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url')
}

/** A CSRF token: 24 bytes from the CSPRNG, base64url. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url')
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/

/** Whether a cookie value can be a session id at all (anything else is never looked up). */
export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id)
}

/**
 * Sessions in this process's memory. Every session lives as long (the same TTL), so the
 * map's insertion order is expiry order: expired ones are evicted from the front as new
 * ones arrive, and the oldest go first when the map is full.
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionData>()
  readonly #max: number
  readonly #now: () => number

  constructor(options: { readonly max?: number; readonly now?: () => number } = {}) {
    this.#max = options.max ?? 100_000
    this.#now = options.now ?? Date.now
  }

  get size(): number {
    return this.#sessions.size
  }

  async get(id: string): Promise<SessionData | undefined> {
    const data = this.#sessions.get(id)
    if (data === undefined) return undefined
    if (data.expiresAt <= this.#now()) {
      this.#sessions.delete(id)
      return undefined
    }
    return data
  }

  async set(id: string, data: SessionData): Promise<void> {
    const now = this.#now()
    for (const [key, session] of this.#sessions) {
      if (session.expiresAt > now && this.#sessions.size < this.#max) break
      this.#sessions.delete(key)
    }
    this.#sessions.delete(id)
    this.#sessions.set(id, data)
  }

  async delete(id: string): Promise<void> {
    this.#sessions.delete(id)
  }
}

/**
 * Sessions in Redis, beside the OAuth state: `<prefix>session:<sha256(id)>` holds the
 * session as JSON, with the session's TTL. The id itself never appears in a key name.
 * Redis failures become the core's `StoreUnavailableError` (a 503), as for the OAuth
 * stores.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis
  readonly #prefix: string
  readonly #timeout: number
  readonly #now: () => number

  constructor(
    redis: Redis,
    options: {
      readonly keyPrefix?: string
      readonly commandTimeout?: number
      readonly now?: () => number
    } = {},
  ) {
    this.#redis = redis
    this.#prefix = `${options.keyPrefix ?? 'oauth1-demo:'}session:`
    this.#timeout = options.commandTimeout ?? 1000
    this.#now = options.now ?? Date.now
  }

  #key(id: string): string {
    return this.#prefix + createHash('sha256').update(id).digest('base64url')
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('session store timed out')), this.#timeout)
        }),
      ])
    } catch (error) {
      throw new StoreUnavailableError('session store unavailable', { cause: error })
    } finally {
      clearTimeout(timer)
    }
  }

  get(id: string): Promise<SessionData | undefined> {
    return this.#run(async () => {
      const text = await this.#redis.get(this.#key(id))
      if (text === null) return undefined
      const data = JSON.parse(text) as SessionData
      return data.expiresAt > this.#now() ? data : undefined
    })
  }

  set(id: string, data: SessionData): Promise<void> {
    const ttl = Math.max(1, Math.ceil((data.expiresAt - this.#now()) / 1000))
    return this.#run(async () => {
      await this.#redis.set(this.#key(id), JSON.stringify(data), 'EX', ttl)
    })
  }

  delete(id: string): Promise<void> {
    return this.#run(async () => {
      await this.#redis.del(this.#key(id))
    })
  }
}
