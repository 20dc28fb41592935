import { Agent, request as nodeRequest } from 'node:http'
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import type { OAuth1Warning, OAuthRequest } from '@x/oauth1-core'
import {
  CONFORMANCE_CLIENTS,
  type ConformanceServer,
  httpRequest,
  signRequest,
  testCertificateKeyPem,
  testCertificatePem,
} from '@x/oauth1-testkit'
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  handler,
  type KoaAdapterOptions,
  type KoaContextLike,
  requireSignature,
  sendOAuthResponse,
  toOAuthRequest,
} from '../src/index.ts'
import { listen, provider } from './app.ts'

const FORM = 'application/x-www-form-urlencoded'
const hmac = CONFORMANCE_CLIENTS.hmac

function providerFor(onWarning: (w: OAuth1Warning) => void = () => {}) {
  return provider({
    trustProxy: false,
    bodyLimit: 1024,
    onWarning,
    clients: [{ clientKey: hmac.key, clientSecret: hmac.secret }],
    unavailableClientKey: 'down',
    failingClientKey: 'bug',
  })
}

/** An app whose every route answers with the OAuthRequest the adapter built. */
function echoApp(options: KoaAdapterOptions): Koa {
  const app = new Koa()
  app.silent = true
  const router = new Router({ prefix: '/v1' })
  router.all('/mounted', async (ctx) => {
    ctx.body = await toOAuthRequest(ctx, options)
  })
  app.use(router.routes())
  app.use(async (ctx) => {
    const req = await toOAuthRequest(ctx, options)
    ctx.body = { ...req, again: (await toOAuthRequest(ctx, options)) === req }
  })
  return app
}

async function echo(server: ConformanceServer, path: string, init = {}) {
  const res = await httpRequest(`${server.baseUrl}${path}`, init)
  expect(res.status).toBe(200)
  return JSON.parse(res.body) as OAuthRequest & { again: boolean }
}

describe('koa toOAuthRequest', () => {
  let plain: ConformanceServer
  let proxied: ConformanceServer
  let fixed: ConformanceServer
  beforeAll(async () => {
    plain = await listen(echoApp({}))
    proxied = await listen(echoApp({ trustProxy: true }))
    fixed = await listen(echoApp({ publicUrl: 'https://example.com/app/' }))
  })
  afterAll(async () => {
    await Promise.all([plain.close(), proxied.close(), fixed.close()])
  })

  it('builds the URL from the connection and Host, keeps the target exactly', async () => {
    const req = await echo(plain, '/photos/a%2Fb?size=original&x=%7E', {
      headers: { 'X-Custom': 'one' },
    })
    expect(req.method).toBe('GET')
    expect(req.url).toBe(`${plain.baseUrl}/photos/a%2Fb?size=original&x=%7E`)
    expect(req.headers['x-custom']).toBe('one')
    expect(req.body).toBeUndefined()
    expect(req.clientAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
    expect(req.again).toBe(true)
  })

  it('keeps a router prefix (originalUrl)', async () => {
    const req = await echo(plain, '/v1/mounted?q=1')
    expect(req.url).toBe(`${plain.baseUrl}/v1/mounted?q=1`)
  })

  it('ignores X-Forwarded-* unless trustProxy is set', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' }
    expect((await echo(plain, '/x', { headers })).url).toBe(`${plain.baseUrl}/x`)
    expect((await echo(proxied, '/x', { headers })).url).toBe('https://api.example.com/x')
    expect(
      (await echo(proxied, '/x', { headers: { forwarded: 'proto=https;host=a.example' } })).url,
    ).toBe('https://a.example/x')
  })

  it('uses publicUrl over everything', async () => {
    const req = await echo(fixed, '/x?y=1', { headers: { 'x-forwarded-host': 'evil.example' } })
    expect(req.url).toBe('https://example.com/app/x?y=1')
  })

  it('reads a form body raw, and leaves other bodies unread', async () => {
    const raw = 'b=2&a=%7e+x&a=1'
    const form = await echo(plain, '/x', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: raw,
    })
    expect(form.body).toBe(raw)
    const json = await echo(plain, '/x', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(json.body).toBeUndefined()
  })

  it('a TLS socket means https', async () => {
    const server = createHttpsServer(
      { key: testCertificateKeyPem(), cert: testCertificatePem() },
      echoApp({}).callback(),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const body = await new Promise<string>((resolve, reject) => {
        httpsRequest(
          { host: '127.0.0.1', port, path: '/tls?x=1', rejectUnauthorized: false, agent: false },
          (res) => {
            let text = ''
            res.on('data', (chunk: Buffer) => {
              text += chunk.toString()
            })
            res.on('end', () => resolve(text))
          },
        )
          .on('error', reject)
          .end()
      })
      expect((JSON.parse(body) as OAuthRequest).url).toBe(`https://127.0.0.1:${port}/tls?x=1`)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})

describe('koa context typing', () => {
  it('takes a context whose request has no body (no body parser augmenting Koa)', () => {
    // Koa's own Request type has no `body`: only @koa/bodyparser's augmentation adds it.
    // A weak `{ body?: unknown }` type used to reject such a context at compile time.
    type BareContext = Omit<KoaContextLike, 'request'> & {
      readonly request: { readonly method: string }
    }
    const typed: (ctx: BareContext) => Promise<OAuthRequest> = toOAuthRequest
    expect(typed).toBe(toOAuthRequest)
  })
})

describe('koa adapter with a body parser in front', () => {
  const warnings: OAuth1Warning[] = []
  let server: ConformanceServer
  beforeAll(async () => {
    const oauth = providerFor()
    const onWarning = (warning: OAuth1Warning) => {
      warnings.push(warning)
    }
    const app = new Koa()
    app.silent = true
    app.use(bodyParser({ enableTypes: ['form'] }))
    app.use(requireSignature(oauth, { onWarning }))
    app.use((ctx) => {
      ctx.body = { ok: true }
    })
    server = await listen(app)
  })
  afterAll(() => server.close())

  const post = (form: Record<string, string>) =>
    signRequest({ method: 'POST', url: `${server.baseUrl}/x`, client: hmac, form })

  it('verifies from the parsed form and warns once', async () => {
    for (const text of ['a', 'b', 'c']) {
      const signed = post({ text })
      const res = await httpRequest(signed.url, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      })
      expect(res.status).toBe(200)
    }
    expect(warnings.map((w) => w.code)).toEqual(['body-already-parsed'])
  })

  it('refuses a form the parser turned into nested values (400)', async () => {
    const signed = post({ 'a[b]': 'c' })
    const res = await httpRequest(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    })
    expect(res.status).toBe(400)
    expect(new URLSearchParams(res.body).get('oauth_problem')).toBe('parameter_rejected')
  })
})

describe('koa middleware flow', () => {
  let server: ConformanceServer
  const reached: string[] = []
  beforeAll(async () => {
    const oauth = providerFor()
    const app = new Koa()
    app.silent = true
    const router = new Router()
    const downstream = (label: string) => (ctx: Koa.Context) => {
      reached.push(
        `${label} ${ctx.method} ${ctx.state.oauth1 === undefined ? 'no-state' : 'state'}`,
      )
      ctx.status = 204
    }
    router.all('/guarded', requireSignature(oauth, { bodyLimit: 1024 }), downstream('guarded'))
    router.all(
      '/token',
      handler(async () => ({ status: 200, headers: { 'x-endpoint': '1' }, body: 'done' })),
      downstream('token'),
    )
    router.get('/redirect', (ctx) =>
      sendOAuthResponse(ctx, {
        status: 302,
        headers: { Location: 'https://client.example/cb' },
        body: undefined,
      }),
    )
    app.use(router.routes())
    server = await listen(app)
  })
  afterAll(() => server.close())

  it('OPTIONS reaches next() untouched; a guard verifies HEAD like GET; token endpoints skip HEAD', async () => {
    for (const method of ['HEAD', 'OPTIONS']) {
      expect((await httpRequest(`${server.baseUrl}/token`, { method })).status).toBe(204)
    }
    expect((await httpRequest(`${server.baseUrl}/guarded`, { method: 'OPTIONS' })).status).toBe(204)
    // Frameworks route HEAD to the GET handler: an unsigned HEAD must not get through.
    expect((await httpRequest(`${server.baseUrl}/guarded`, { method: 'HEAD' })).status).toBe(400)
    expect(reached).toEqual([
      'token HEAD no-state',
      'token OPTIONS no-state',
      'guarded OPTIONS no-state',
    ])
    reached.length = 0
    expect((await httpRequest(`${server.baseUrl}/guarded`)).status).toBe(400)
    const token = await httpRequest(`${server.baseUrl}/token`, { method: 'POST' })
    expect([token.status, token.headers['x-endpoint'], token.body]).toEqual([200, '1', 'done'])
    const signed = signRequest({ method: 'GET', url: `${server.baseUrl}/guarded`, client: hmac })
    expect((await httpRequest(signed.url, { headers: signed.headers })).status).toBe(204)
    const signedHead = signRequest({
      method: 'HEAD',
      url: `${server.baseUrl}/guarded`,
      client: hmac,
    })
    expect(
      (await httpRequest(signedHead.url, { method: 'HEAD', headers: signedHead.headers })).status,
    ).toBe(204)
    expect(reached).toEqual(['guarded GET state', 'guarded HEAD state'])
  })

  it('sends a bodiless redirect as a redirect', async () => {
    const res = await httpRequest(`${server.baseUrl}/redirect`)
    expect(res.status).toBe(302)
    expect(res.headers.location).toBe('https://client.example/cb')
  })

  it('after a 413 the keep-alive connection still serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const sockets = new Set<unknown>()
    const send = (method: string, chunks: string[] = []) =>
      new Promise<number>((resolve, reject) => {
        const headers = { 'content-type': FORM }
        const req = nodeRequest(`${server.baseUrl}/guarded`, { method, agent, headers }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        })
        req.on('socket', (socket) => sockets.add(socket))
        req.on('error', reject)
        for (const chunk of chunks) req.write(chunk)
        req.end()
      })
    try {
      expect(
        await send(
          'POST',
          Array.from({ length: 64 }, () => 'x'.repeat(16 * 1024)),
        ),
      ).toBe(413)
      expect(await send('GET')).toBe(400)
      expect(sockets.size).toBe(1)
    } finally {
      agent.destroy()
    }
  })
})
