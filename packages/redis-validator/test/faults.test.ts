// Faults mid-run on a dedicated, durable redis-server (AOF, fsync on every write, so a
// killed server comes back with what it acknowledged): SIGSTOP then SIGCONT, SIGKILL then
// a restart on the same port. Two providers, each on its own connection, keep sending
// fresh requests and replays of accepted ones through the ResourceEndpoint the whole
// time: one with the ioredis options the README recommends, one with ioredis' defaults.
import { type OAuthRequest, StoreUnavailableError } from '@x/oauth1-core'
import { type RedisServer, startRedisServer } from '@x/oauth1-testkit'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.ts'
import { FAIL_FAST, randomPrefix, sleep } from './helpers.ts'
import { CLIENT, type Credentials, form, photosRequest, provider } from './provider.ts'

interface Outcome {
  readonly kind: 'fresh' | 'replay'
  readonly start: number
  readonly end: number
  readonly status: number
  readonly problem: string | undefined
  readonly retryAfter: string | undefined
  readonly storeError: boolean
}

const COMMAND_TIMEOUT = 400
const AWAY_MS = 1500
/** Time after each return: recovery must happen within 2 s, and the last 0.5 s is clean. */
const AFTER_MS = 1500
const WORKERS = 6

const CONFIGS: Record<string, RedisOptions> = {
  // Commands fail at once while the connection is down.
  'enableOfflineQueue false, maxRetriesPerRequest 1': FAIL_FAST,
  // Offline queue on, 20 retries per request: the store's deadline alone keeps answers
  // prompt; recovery needs a reconnect delay that stays short.
  'ioredis defaults, short retryStrategy': { retryStrategy: (times) => Math.min(times * 50, 500) },
}

interface Driver {
  readonly name: string
  readonly outcomes: Outcome[]
  readonly run: (isRunning: () => boolean) => Promise<void>
}

async function driver(
  name: string,
  url: string,
  options: RedisOptions,
): Promise<Driver & { redis: Redis }> {
  const redis = new Redis(url, { lazyConnect: true, ...options })
  redis.on('error', () => {})
  await redis.connect()
  const store = new RedisStore(redis, {
    keyPrefix: randomPrefix(),
    commandTimeout: COMMAND_TIMEOUT,
  })
  const p = provider(store)
  await store.saveClient({ ...CLIENT })
  const credentials: Credentials = { token: 'fault-token', secret: 'fault-secret' }
  await store.saveAccessToken({
    token: credentials.token,
    secret: credentials.secret,
    clientKey: CLIENT.clientKey,
    resourceOwner: 'alice',
    realms: [],
    createdAt: Date.now(),
  })
  const outcomes: Outcome[] = []
  const accepted: OAuthRequest[] = []
  const send = async (kind: Outcome['kind'], request: OAuthRequest): Promise<boolean> => {
    const start = Date.now()
    const result = await p.resource.validateProtectedResourceRequest(request)
    const response = result.ok ? undefined : result.response
    outcomes.push({
      kind,
      start,
      end: Date.now(),
      status: response?.status ?? 200,
      problem: response === undefined ? undefined : form(response).oauth_problem,
      retryAfter: response?.headers['Retry-After'],
      storeError: !result.ok && result.error instanceof StoreUnavailableError,
    })
    return result.ok
  }
  const worker = async (isRunning: () => boolean): Promise<void> => {
    while (isRunning()) {
      const request = await photosRequest(credentials)
      if (await send('fresh', request)) accepted.push(request)
      const old = accepted[Math.floor(Math.random() * accepted.length)]
      if (old !== undefined) await send('replay', old)
      await sleep(5)
    }
  }
  return {
    name,
    redis,
    outcomes,
    run: async (isRunning) => {
      await Promise.all(Array.from({ length: WORKERS }, () => worker(isRunning)))
    },
  }
}

describe('faults on a dedicated redis-server', () => {
  let server: RedisServer
  const drivers: (Driver & { redis: Redis })[] = []
  const rejections: unknown[] = []
  const exceptions: unknown[] = []
  const onRejection = (reason: unknown): void => {
    rejections.push(reason)
  }
  const onException = (error: unknown): void => {
    exceptions.push(error)
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection)
    process.on('uncaughtException', onException)
    server = await startRedisServer({ durable: true })
    for (const [name, options] of Object.entries(CONFIGS)) {
      drivers.push(await driver(name, server.url, options))
    }
  })
  afterAll(async () => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    for (const d of drivers) d.redis.disconnect()
    await server?.stop()
  })

  it('SIGSTOP/SIGCONT and SIGKILL/restart mid-run: 503 + Retry-After while away, no replay accepted, normal again within 2 s', async ({
    annotate,
  }) => {
    let running = true
    const load = Promise.all(drivers.map((d) => d.run(() => running)))
    await sleep(300)
    const stopped = Date.now()
    server.pause()
    await sleep(AWAY_MS)
    server.resume()
    const resumed = Date.now()
    await sleep(AFTER_MS)
    const killed = Date.now()
    await server.kill()
    await sleep(AWAY_MS)
    await server.restart()
    const restarted = Date.now()
    await sleep(AFTER_MS)
    running = false
    await load

    for (const { name, outcomes } of drivers) {
      const context = `${name}: `
      // Fail closed: no replay was ever accepted, before, during or after the faults.
      const replays = outcomes.filter((o) => o.kind === 'replay')
      expect(replays.length, context).toBeGreaterThan(50)
      expect(
        replays.filter((o) => o.status === 200),
        context,
      ).toEqual([])
      expect(new Set(replays.map((o) => o.problem)), context).toEqual(
        new Set(['nonce_used', 'temporarily_unavailable']),
      )

      // Only the three expected answers, and every 503 is the store's, with Retry-After.
      expect(new Set(outcomes.map((o) => o.status)), context).toEqual(new Set([200, 401, 503]))
      const unavailable = outcomes.filter((o) => o.status === 503)
      expect(
        unavailable.filter((o) => !o.storeError || o.retryAfter !== '1'),
        context,
      ).toEqual([])

      const during = (from: number, to: number): Outcome[] =>
        outcomes.filter((o) => o.end > from && o.end < to)
      // Paused: nothing answers, so whatever completes after the deadline is a 503.
      const paused = during(stopped + COMMAND_TIMEOUT + 100, resumed)
      expect(paused.length, context).toBeGreaterThan(5)
      expect(
        paused.filter((o) => o.status !== 503),
        context,
      ).toEqual([])
      // Killed: whatever completes while it is down is a 503.
      const down = during(killed + COMMAND_TIMEOUT + 100, restarted - 100)
      expect(down.length, context).toBeGreaterThan(5)
      expect(
        down.filter((o) => o.status !== 503),
        context,
      ).toEqual([])

      // Back to normal answers within 2 s of each return.
      const firstOk = (after: number): number | undefined =>
        outcomes.find((o) => o.kind === 'fresh' && o.status === 200 && o.start >= after)?.end
      const recoveredFromPause = (firstOk(resumed) ?? Number.POSITIVE_INFINITY) - resumed
      const recoveredFromKill = (firstOk(restarted) ?? Number.POSITIVE_INFINITY) - restarted
      expect(recoveredFromPause, context).toBeLessThan(2000)
      expect(recoveredFromKill, context).toBeLessThan(2000)
      // And it stays normal: the end of the run is all 200 (fresh) and 401 nonce_used (replays).
      const tail = outcomes.filter((o) => o.start > restarted + 1000)
      expect(tail.length, context).toBeGreaterThan(10)
      expect(
        tail.filter((o) => o.kind === 'fresh' && o.status !== 200),
        context,
      ).toEqual([])
      expect(
        tail.filter((o) => o.kind === 'replay' && o.problem !== 'nonce_used'),
        context,
      ).toEqual([])
      await annotate(
        `${name}: ${outcomes.length} requests (${replays.length} replays), ${unavailable.length} answered 503; ` +
          `normal again ${recoveredFromPause} ms after SIGCONT, ${recoveredFromKill} ms after the restart; ` +
          `slowest 503 ${Math.max(...unavailable.map((o) => o.end - o.start))} ms`,
      )
    }
    expect(rejections).toEqual([])
    expect(exceptions).toEqual([])
  })
})
