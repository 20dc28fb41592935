// The conformance provider (see @x/oauth1-testkit's adapter-conformance.ts) built with Koa
// and @koa/router, on a real node:http server.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import {
  type AuthorizedResourceRequest,
  createRequestValidator,
  MemoryStore,
  StoreUnavailableError,
  type VerifiedRequest,
  WebApplicationServer,
} from '@x/oauth1-core'
import type { ConformanceServer, ConformanceServerOptions } from '@x/oauth1-testkit'
import Koa from 'koa'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  type KoaAdapterOptions,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
} from '../src/index.ts'

export function provider(options: ConformanceServerOptions): WebApplicationServer {
  const store = new MemoryStore()
  for (const client of options.clients) store.saveClient(client)
  const clients = {
    getClient(key: string) {
      if (key === options.unavailableClientKey) throw new StoreUnavailableError('store down')
      if (key === options.failingClientKey) throw new Error('validator bug')
      return store.getClient(key)
    },
  }
  const quiet = () => {}
  const validator = createRequestValidator({
    clients,
    nonces: store,
    tokens: store,
    allowInsecureLoopback: true,
    onWarning: quiet,
  })
  return new WebApplicationServer(validator, { onWarning: quiet })
}

export function buildApp(server: WebApplicationServer, opts: KoaAdapterOptions): Koa {
  const router = new Router()
  const alice = { resourceOwner: 'alice' }
  router.post(
    '/oauth/request_token',
    handler((req) => server.createRequestTokenResponse(req), opts),
  )
  router.post(
    '/oauth/access_token',
    handler((req) => server.createAccessTokenResponse(req), opts),
  )
  router.get('/oauth/authorize', async (ctx) => {
    if (ctx.query.approve === '1') return completeAuthorization(server, ctx, alice, opts)
    if (ctx.query.deny === '1') return completeAuthorization(server, ctx, false, opts)
    const details = await authorizationDetails(server, ctx, opts)
    if (!details.ok) return sendOAuthResponse(ctx, details.response)
    ctx.body = {
      token: details.credentials.resourceOwnerKey,
      realms: details.realms,
      clientKey: details.clientKey ?? null,
    }
  })
  router.post('/oauth/authorize', (ctx) =>
    completeAuthorization(
      server,
      ctx,
      (req) => (new URLSearchParams(req.body).get('decision') === 'approve' ? alice : false),
      opts,
    ),
  )
  router.all('/api/me', requireOAuth(server, { ...opts, realms: ['profile'] }), (ctx) => {
    if (ctx.method === 'HEAD' || ctx.method === 'OPTIONS') {
      ctx.status = 204
      ctx.set('x-passthrough', '1')
      return
    }
    const auth = ctx.state.oauth1 as AuthorizedResourceRequest
    ctx.body = {
      clientKey: auth.clientKey,
      resourceOwner: auth.resourceOwner ?? null,
      realms: auth.realms,
    }
  })
  router.post('/api/echo', requireOAuth(server, { ...opts, realms: ['profile'] }), (ctx) => {
    const auth = ctx.state.oauth1 as AuthorizedResourceRequest
    ctx.body = {
      clientKey: auth.clientKey,
      resourceOwner: auth.resourceOwner ?? null,
      body: auth.request.body ?? null,
    }
  })
  router.get('/api/admin', requireOAuth(server, { ...opts, realms: ['admin'] }), (ctx) => {
    ctx.body = { clientKey: (ctx.state.oauth1 as AuthorizedResourceRequest).clientKey }
  })
  const ping = (ctx: Koa.Context) => {
    const auth = ctx.state.oauth1 as VerifiedRequest
    ctx.body = { clientKey: auth.clientKey, token: auth.token ?? null }
  }
  router.get('/api/ping', requireSignature(server, opts), ping)
  router.post('/api/ping', requireSignature(server, opts), ping)
  router.post(
    '/parsed/echo',
    bodyParser({ enableTypes: ['form'] }),
    requireSignature(server, opts),
    (ctx) => {
      const auth = ctx.state.oauth1 as VerifiedRequest
      ctx.body = { clientKey: auth.clientKey, body: auth.request.body ?? null }
    },
  )
  const app = new Koa()
  app.silent = true
  app.use(router.routes())
  return app
}

export async function listen(app: Koa): Promise<ConformanceServer> {
  const server = createServer(app.callback())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

export function makeServer(options: ConformanceServerOptions): Promise<ConformanceServer> {
  const { trustProxy, bodyLimit, onWarning } = options
  return listen(buildApp(provider(options), { trustProxy, bodyLimit, onWarning }))
}
