import {
  type AuthorizedResourceRequest,
  createRequestValidator,
  MemoryStore,
  WebApplicationServer,
} from '@x/oauth1-core'
import { handler, requireOAuth, requireSignature } from '@x/oauth1-fetch'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HMAC_CLIENT, parseForm, send, signer, signRequest } from './helpers/signer.ts'
import { serveFetch } from './runtimes/node-bridge.js'

// The fetch adapter mounted in Hono: routes hand c.req.raw to it, a middleware guards /api.
function createHonoApp() {
  const store = new MemoryStore()
  store.saveClient(HMAC_CLIENT)
  const validator = createRequestValidator({
    clients: store,
    nonces: store,
    tokens: store,
    allowInsecureLoopback: true,
    onWarning: () => {},
  })
  const server = new WebApplicationServer(validator, { onWarning: () => {} })
  store.saveAccessToken({
    token: 'hono-token',
    secret: 'hono-secret',
    clientKey: HMAC_CLIENT.clientKey,
    resourceOwner: 'carol',
    realms: [],
    createdAt: Date.now(),
  })

  const app = new Hono<{ Variables: { oauth1: AuthorizedResourceRequest } }>()
  app.post('/oauth/request_token', (c) =>
    handler((req) => server.createRequestTokenResponse(req))(c.req.raw),
  )
  const guard = requireOAuth(server.resource)
  app.use('/api/*', async (c, next) => {
    const result = await guard(c.req.raw)
    if (result instanceof Response) return result
    c.set('oauth1', result.oauth1)
    return next()
  })
  app.get('/api/me', (c) => c.json({ owner: c.get('oauth1').resourceOwner }))
  const launch = requireSignature(server.signatureOnly)
  app.post('/lti/launch', async (c) => {
    const result = await launch(c.req.raw)
    if (result instanceof Response) return result
    return c.json({
      clientKey: result.oauth1.clientKey,
      form: parseForm(result.oauth1.request.body ?? ''),
    })
  })
  return app
}

describe('Hono 4 mounting the fetch adapter', () => {
  let served: Awaited<ReturnType<typeof serveFetch>>
  let base = ''
  beforeAll(async () => {
    const app = createHonoApp()
    served = await serveFetch(async (request) => app.fetch(request))
    base = served.baseUrl
  })
  afterAll(() => served.close())

  it('issues a request token for a signed request', async () => {
    const res = await send(
      signRequest(signer('HMAC-SHA1'), `${base}/oauth/request_token`, {
        method: 'POST',
        oauth: { oauth_callback: 'oob' },
      }),
    )
    expect(res.status).toBe(200)
    expect(parseForm(await res.text())).toMatchObject({ oauth_callback_confirmed: 'true' })
  })

  it('guards routes in a middleware and exposes the result in c.var', async () => {
    const token = { key: 'hono-token', secret: 'hono-secret' }
    const ok = await send(signRequest(signer('HMAC-SHA256'), `${base}/api/me`, { token }))
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ owner: 'carol' })
    const forged = await send(
      signRequest(signer('HMAC-SHA256'), `${base}/api/me`, { token: { ...token, secret: 'x' } }),
    )
    expect(forged.status).toBe(401)
  })

  it('verifies a body-signed two-legged launch and hands the form on', async () => {
    const res = await send(
      signRequest(signer('HMAC-SHA1'), `${base}/lti/launch`, {
        method: 'POST',
        form: { user_id: '7', roles: 'Learner' },
      }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      clientKey: HMAC_CLIENT.clientKey,
      form: { user_id: '7', roles: 'Learner' },
    })
  })
})
