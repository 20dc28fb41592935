// What is particular to Redis: the key layout and TTLs, verifiers at rest, pruning,
// script reloading, and every failure turned into StoreUnavailableError.
import { StoreUnavailableError } from '@x/oauth1-core'
import { startRedisServer } from '@x/oauth1-testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.ts'
import { connectRedis, deleteKeys, FAIL_FAST, randomPrefix, sha256Hex, sleep } from './helpers.ts'
import { CLIENT, form, photosRequest, provider } from './provider.ts'

let redis: Redis
const prefixes: string[] = []
beforeAll(async () => {
  redis = await connectRedis()
})
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix)
  await redis.quit()
})

function fresh(options: ConstructorParameters<typeof RedisStore>[1] = {}): {
  store: RedisStore
  prefix: string
} {
  const prefix = randomPrefix()
  prefixes.push(prefix)
  return { store: new RedisStore(redis, { keyPrefix: prefix, ...options }), prefix }
}

async function keysOf(prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    found.push(...keys.map((k) => k.slice(prefix.length)))
    cursor = next
  } while (cursor !== '0')
  return found.sort()
}

const requestToken = (token: string, now = Date.now()) => ({
  token,
  secret: `${token}-secret`,
  clientKey: 'client-a',
  callback: 'oob',
  realms: ['photos'],
  createdAt: now,
  expiresAt: now + 1_800_000,
})

describe('RedisStore on Redis', () => {
  it('lays its keys out as documented, with their TTLs', async () => {
    const { store, prefix } = fresh()
    await store.saveClient({ clientKey: 'client-a', clientSecret: 's' })
    await store.claimNonce({ clientKey: 'client-a', timestamp: '1', nonce: 'n', token: 't' }, 1200)
    await store.saveRequestToken(requestToken('rt1'), 1800)
    await store.saveAccessToken({
      token: 'at1',
      secret: 'x',
      clientKey: 'client-a',
      resourceOwner: 'alice',
      realms: [],
      createdAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    })
    const keys = await keysOf(prefix)
    const nonce = keys.find((k) => k.startsWith('nonce:')) as string
    expect(nonce).toMatch(/^nonce:[A-Za-z0-9_-]{43}$/)
    expect(keys).toEqual(
      [
        'at-client:{client-a}',
        'at-owner:{alice}',
        'at:{at1}',
        'client:{client-a}',
        'clients',
        nonce,
        'rt:{rt1}',
      ].sort(),
    )
    const type = (k: string) => redis.type(prefix + k)
    expect(await type('client:{client-a}')).toBe('string')
    expect(await type('clients')).toBe('set')
    expect(await type('rt:{rt1}')).toBe('hash')
    expect(await type('at:{at1}')).toBe('string')
    expect(await type('at-client:{client-a}')).toBe('set')
    const ttl = (k: string) => redis.pttl(prefix + k)
    expect(await ttl(nonce)).toBeGreaterThan(1_199_000)
    expect(await ttl(nonce)).toBeLessThanOrEqual(1_200_000)
    expect(await ttl('rt:{rt1}')).toBeGreaterThan(1_799_000)
    expect(await ttl('at:{at1}')).toBeGreaterThan(3_599_000)
    expect(await ttl('client:{client-a}')).toBe(-1)
    expect(await ttl('at-client:{client-a}')).toBe(-1)
  })

  it('keeps verifiers as SHA-256 hex only', async () => {
    const { store, prefix } = fresh()
    await store.saveRequestToken(requestToken('rt1'), 1800)
    const verifier = 'the-verifier-value'
    await store.authorizeRequestToken('rt1', { verifier, resourceOwner: 'alice', realms: [] })
    const hash = await redis.hgetall(`${prefix}rt:{rt1}`)
    expect(hash.verifierHash).toBe(sha256Hex(verifier))
    expect(Object.values(hash).some((v) => v.includes(verifier))).toBe(false)
    const record = await store.getRequestToken('rt1')
    expect(record?.verifier).toBeUndefined()
    expect(record?.verifierHash).toBe(sha256Hex(verifier))
  })

  it('lets Redis expire request tokens, nonces and access tokens on its own clock', async () => {
    const { store, prefix } = fresh()
    await store.saveRequestToken(requestToken('rt1'), 1)
    await store.claimNonce({ clientKey: 'c', timestamp: '1', nonce: 'n' }, 1)
    await store.saveAccessToken({
      token: 'at1',
      secret: 'x',
      clientKey: 'c',
      realms: [],
      createdAt: Date.now(),
      expiresAt: Date.now() + 1000,
    })
    await store.saveAccessToken({
      token: 'at2',
      secret: 'x',
      clientKey: 'c',
      realms: [],
      createdAt: 0,
    })
    await sleep(1100)
    expect(await keysOf(prefix)).toEqual(['at-client:{c}', 'at:{at2}'])
    expect((await store.listAccessTokens({ clientKey: 'c' })).map((t) => t.token)).toEqual(['at2'])
  })

  it('prunes index entries whose record is gone when listing', async () => {
    const { store, prefix } = fresh()
    await store.saveClient({ clientKey: 'client-a' })
    await store.saveAccessToken({
      token: 'at1',
      secret: 'x',
      clientKey: 'client-a',
      resourceOwner: 'alice',
      realms: [],
      createdAt: 1,
    })
    await redis.sadd(`${prefix}clients`, 'ghost')
    await redis.sadd(`${prefix}at-client:{client-a}`, 'ghost-token')
    await redis.sadd(`${prefix}at-owner:{alice}`, 'ghost-token')
    expect((await store.listClients()).map((c) => c.clientKey)).toEqual(['client-a'])
    expect((await store.listAccessTokens({ clientKey: 'client-a' })).map((t) => t.token)).toEqual([
      'at1',
    ])
    expect((await store.listAccessTokens({ resourceOwner: 'alice' })).map((t) => t.token)).toEqual([
      'at1',
    ])
    expect(await redis.smembers(`${prefix}clients`)).toEqual(['client-a'])
    expect(await redis.smembers(`${prefix}at-client:{client-a}`)).toEqual(['at1'])
    expect(await redis.smembers(`${prefix}at-owner:{alice}`)).toEqual(['at1'])
  })

  it('reloads its Lua scripts after SCRIPT FLUSH', async () => {
    const { store } = fresh()
    await store.saveRequestToken(requestToken('rt1'), 1800)
    await redis.script('FLUSH')
    expect(await store.authorizeRequestToken('rt1', { verifier: 'v', realms: [] })).toBe(true)
    await redis.script('FLUSH')
    const accessToken = {
      token: 'at1',
      secret: 'x',
      clientKey: 'client-a',
      realms: [],
      createdAt: 1,
    }
    expect(
      await store.exchangeRequestToken({
        requestToken: 'rt1',
        clientKey: 'client-a',
        verifier: 'v',
        accessToken,
      }),
    ).toBe(true)
  })

  it('turns corrupt records and Redis errors into StoreUnavailableError', async () => {
    const { store, prefix } = fresh()
    await redis.set(`${prefix}client:{broken}`, 'not json')
    await expect(store.getClient('broken')).rejects.toBeInstanceOf(StoreUnavailableError)
    await redis.set(`${prefix}rt:{wrongtype}`, 'a string, not a hash')
    const error = await store.getRequestToken('wrongtype').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as StoreUnavailableError).status).toBe(503)
    expect(String((error as Error).cause)).toMatch(/WRONGTYPE/)
    // The message reaches clients: it names no host, port or Redis error.
    expect((error as Error).message).not.toMatch(/WRONGTYPE|127\.0\.0\.1|redis:\/\//)
  })

  it('fails closed on a closed connection: 503 with Retry-After, nothing accepted', async () => {
    const connection = await connectRedis()
    const prefix = randomPrefix()
    prefixes.push(prefix)
    const store = new RedisStore(connection, { keyPrefix: prefix, retryAfter: 5 })
    await store.saveClient({ ...CLIENT })
    await store.saveAccessToken({
      token: 'tok',
      secret: 'sec',
      clientKey: CLIENT.clientKey,
      realms: [],
      createdAt: 1,
    })
    const p = provider(store)
    const request = await photosRequest({ token: 'tok', secret: 'sec' })
    await connection.quit()
    await expect(
      store.claimNonce({ clientKey: 'c', timestamp: '1', nonce: 'n' }, 10),
    ).rejects.toBeInstanceOf(StoreUnavailableError)
    const result = await p.resource.validateProtectedResourceRequest(request)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.response.status).toBe(503)
    expect(result.response.headers['Retry-After']).toBe('5')
    expect(form(result.response).oauth_problem).toBe('temporarily_unavailable')
  })

  it('gives up on a server that does not answer after commandTimeout', async () => {
    const server = await startRedisServer()
    const connection = new Redis(server.url, { ...FAIL_FAST, lazyConnect: true })
    connection.on('error', () => {})
    try {
      await connection.connect()
      const store = new RedisStore(connection, { commandTimeout: 150 })
      server.pause()
      const started = Date.now()
      await expect(
        store.claimNonce({ clientKey: 'c', timestamp: '1', nonce: 'n' }, 10),
      ).rejects.toBeInstanceOf(StoreUnavailableError)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
      expect(Date.now() - started).toBeLessThan(1000)
      server.resume()
      // The command reached the server and ran once it woke: the nonce is spent (fail closed).
      await sleep(50)
      expect(await store.claimNonce({ clientKey: 'c', timestamp: '1', nonce: 'n' }, 10)).toBe(false)
    } finally {
      connection.disconnect()
      await server.stop()
    }
  })

  it('refuses bad arguments with TypeError', () => {
    expect(() => new RedisStore(undefined as unknown as Redis)).toThrow(TypeError)
    expect(() => new RedisStore({} as Redis)).toThrow(TypeError)
    expect(() => new RedisStore(redis, { commandTimeout: -1 })).toThrow(TypeError)
    expect(() => new RedisStore(redis, { retryAfter: Number.NaN })).toThrow(TypeError)
  })
})
