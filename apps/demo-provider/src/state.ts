import {
  type ClientAdminStore,
  MemoryStore,
  type NonceStore,
  type TokenStore,
} from '@x/oauth1-core'
import { RedisStore } from '@x/oauth1-redis-validator'
import { Redis } from 'ioredis'
import { ConfigError, redactUrl } from './config.js'
import { MemorySessionStore, RedisSessionStore, type SessionStore } from './sessions.js'

/** Everything the demo keeps: clients, nonces, tokens (the core's stores) and sessions. */
export interface DemoState {
  readonly kind: 'memory' | 'redis'
  readonly store: ClientAdminStore & NonceStore & TokenStore
  readonly sessions: SessionStore
  close(): Promise<void>
}

export function memoryState(): DemoState {
  return {
    kind: 'memory',
    store: new MemoryStore(),
    sessions: new MemorySessionStore(),
    close: async () => {},
  }
}

export interface RedisStateOptions {
  readonly url: string
  readonly keyPrefix: string
  /** How long to wait for the first connection, in ms (default 3000). */
  readonly connectTimeout?: number | undefined
  /** Where Redis connection errors are reported after start (rate-limited). */
  readonly log?: ((line: string) => void) | undefined
}

/**
 * Connects to Redis (failing with a {@link ConfigError} if it cannot within
 * `connectTimeout`) and puts every store on it. Once connected, commands fail at once
 * while Redis is away (503s) and ioredis reconnects quickly when it is back.
 */
export async function redisState(options: RedisStateOptions): Promise<DemoState> {
  const timeout = options.connectTimeout ?? 3000
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeout,
    retryStrategy: (times) => Math.min(times * 50, 500),
  })
  let connected = false
  let lastError = ''
  let lastReport = 0
  redis.on('error', (error: Error) => {
    lastError = error.message
    const now = Date.now()
    if (connected && now - lastReport > 5000) {
      lastReport = now
      options.log?.(`redis: ${error.message}`)
    }
  })
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeout)
      }),
    ])
    await redis.ping()
    connected = true
  } catch (error) {
    redis.disconnect()
    const reason = lastError || (error as Error).message
    throw new ConfigError(
      `REDIS_URL ${redactUrl(options.url)}: cannot connect within ${timeout} ms (${reason})`,
    )
  } finally {
    clearTimeout(timer)
  }
  return {
    kind: 'redis',
    store: new RedisStore(redis, { keyPrefix: options.keyPrefix }),
    sessions: new RedisSessionStore(redis, { keyPrefix: options.keyPrefix }),
    close: async () => {
      try {
        await redis.quit()
      } catch {
        redis.disconnect()
      }
    },
  }
}
