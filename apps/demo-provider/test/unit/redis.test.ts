// REDIS_URL: every piece of state (clients, nonces, tokens, sessions) in Redis, shared by
// two demos on different adapters, surviving a restart. Real Redis from the testkit.
import { randomBytes } from 'node:crypto'
import { Client, type ClientOptions } from '@x/oauth1-core'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { runFlow } from '../../src/flow.ts'
import { accessToken, Browser, signed, startTestDemo, type TestDemo } from './support.ts'

const prefix = `demo-test-${randomBytes(6).toString('hex')}:`
const client: ClientOptions = { clientKey: 'redis-key', clientSecret: 'redis-secret' }

describe('the demo on Redis', () => {
  let redis: Redis
  let a: TestDemo
  let b: TestDemo
  const env = () => ({
    REDIS_URL: inject('redisUrl'),
    DEMO_REDIS_PREFIX: prefix,
    DEMO_CLIENT_KEY: 'redis-key',
    DEMO_CLIENT_SECRET: 'redis-secret',
  })

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'))
    a = await startTestDemo({ ...env(), DEMO_ADAPTER: 'koa' })
    b = await startTestDemo({ ...env(), DEMO_ADAPTER: 'fetch' })
  })
  afterAll(async () => {
    await Promise.all([a.close(), b.close()])
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  })

  it('runs the flow with everything in Redis under the key prefix', async () => {
    expect(a.banner).toContain(`state:          redis (key prefix ${prefix})`)
    const result = await runFlow({
      baseUrl: a.url,
      login: { user: 'alice', password: 'wonderland' },
      print: () => {},
    })
    expect(result.me).toMatchObject({ user: 'alice', client: result.clientKey })
    const keys = await redis.keys(`${prefix}*`)
    const kinds = new Set(keys.map((k) => k.slice(prefix.length).split(':')[0]))
    for (const kind of ['client', 'clients', 'nonce', 'at', 'at-owner', 'session']) {
      expect(kinds, kind).toContain(kind)
    }
    // Session keys hold a digest of the id, never the cookie value.
    const session = keys.find((k) => k.startsWith(`${prefix}session:`)) as string
    expect(await redis.ttl(session)).toBeGreaterThan(3600)
  })

  it('shares clients, tokens, sessions and nonces between two demos', async () => {
    const granted = await accessToken(a.url, client)
    const three: ClientOptions = {
      ...client,
      resourceOwnerKey: granted.token,
      resourceOwnerSecret: granted.secret,
    }
    // The token made on A works on B (another adapter, same Redis).
    const me = await signed(`${b.url}/api/me`, three)
    expect(JSON.parse(me.text)).toMatchObject({ user: 'alice', client: 'redis-key' })
    // The session cookie of A works on B.
    const onB = new Browser(b.url)
    for (const [name, value] of granted.browser.cookies) onB.cookies.set(name, value)
    expect((await onB.get('/account/tokens')).status).toBe(200)
    // A client registered on A's developer page works on B.
    const dev = new Browser(a.url)
    const form = await dev.get('/developer')
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(form.text)?.[1] as string
    const done = await dev.post('/developer', { csrf_token: csrf, name: 'Shared' })
    const clientKey = /id="client-key"[^>]*>([^<]+)</.exec(done.text)?.[1] as string
    const clientSecret = /id="client-secret"[^>]*>([^<]+)</.exec(done.text)?.[1] as string
    expect((await signed(`${b.url}/api/ping`, { clientKey, clientSecret })).status).toBe(200)
    // One nonce and timestamp, signed for each demo and sent to both at once: one 200.
    const once = {
      ...three,
      nonce: randomBytes(12).toString('hex'),
      timestamp: String(Math.floor(Date.now() / 1000)),
    }
    const results = await Promise.all(
      [a, b, a, b].map(async (demo) => {
        const req = await new Client(once).sign(`${demo.url}/api/me`)
        return fetch(req.uri, { headers: req.headers })
      }),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
  })

  it('keeps everything across a restart', async () => {
    const granted = await accessToken(a.url, client)
    await a.close()
    a = await startTestDemo({ ...env(), DEMO_ADAPTER: 'express' })
    const me = await signed(`${a.url}/api/me`, {
      ...client,
      resourceOwnerKey: granted.token,
      resourceOwnerSecret: granted.secret,
    })
    expect(me.status).toBe(200)
    const browser = new Browser(a.url)
    for (const [name, value] of granted.browser.cookies) browser.cookies.set(name, value)
    const tokens = await browser.get('/account/tokens')
    expect(tokens.status).toBe(200)
    expect(tokens.text).toContain('Demo client redis-key')
  })
})
