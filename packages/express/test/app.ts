// The conformance provider (see @x/oauth1-testkit's adapter-conformance.ts) built with
// Express, on a real node:http server.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type AuthorizedResourceRequest,
  createRequestValidator,
  MemoryStore,
  StoreUnavailableError,
  type VerifiedRequest,
  WebApplicationServer,
} from '@x/oauth1-core'
import type { ConformanceServer, ConformanceServerOptions } from '@x/oauth1-testkit'
import express, { type Express, type Request, type Response } from 'express'
import {
  authorizationDetails,
  completeAuthorization,
  type ExpressAdapterOptions,
  handler,
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

export function buildApp(server: WebApplicationServer, opts: ExpressAdapterOptions): Express {
  const app = express()
  app.set('env', 'test')
  const alice = { resourceOwner: 'alice' }
  app.post(
    '/oauth/request_token',
    handler((req) => server.createRequestTokenResponse(req), opts),
  )
  app.post(
    '/oauth/access_token',
    handler((req) => server.createAccessTokenResponse(req), opts),
  )
  app.get('/oauth/authorize', async (req, res) => {
    if (req.query.approve === '1') return completeAuthorization(server, req, res, alice, opts)
    if (req.query.deny === '1') return completeAuthorization(server, req, res, false, opts)
    const details = await authorizationDetails(server, req, opts)
    if (!details.ok) return sendOAuthResponse(res, details.response)
    res.json({
      token: details.credentials.resourceOwnerKey,
      realms: details.realms,
      clientKey: details.clientKey ?? null,
    })
  })
  app.post('/oauth/authorize', (req, res) =>
    completeAuthorization(
      server,
      req,
      res,
      (oauthRequest) =>
        new URLSearchParams(oauthRequest.body).get('decision') === 'approve' ? alice : false,
      opts,
    ),
  )
  app.all('/api/me', requireOAuth(server, { ...opts, realms: ['profile'] }), (req, res) => {
    if (req.method === 'HEAD' || req.method === 'OPTIONS') {
      res.status(204).set('x-passthrough', '1').end()
      return
    }
    const auth = res.locals.oauth1 as AuthorizedResourceRequest
    res.json({
      clientKey: auth.clientKey,
      resourceOwner: auth.resourceOwner ?? null,
      realms: auth.realms,
    })
  })
  app.post('/api/echo', requireOAuth(server, { ...opts, realms: ['profile'] }), (_req, res) => {
    const auth = res.locals.oauth1 as AuthorizedResourceRequest
    res.json({
      clientKey: auth.clientKey,
      resourceOwner: auth.resourceOwner ?? null,
      body: auth.request.body ?? null,
    })
  })
  app.get('/api/admin', requireOAuth(server, { ...opts, realms: ['admin'] }), (_req, res) => {
    res.json({ clientKey: (res.locals.oauth1 as AuthorizedResourceRequest).clientKey })
  })
  const ping = (_req: Request, res: Response) => {
    const auth = res.locals.oauth1 as VerifiedRequest
    res.json({ clientKey: auth.clientKey, token: auth.token ?? null })
  }
  app.get('/api/ping', requireSignature(server, opts), ping)
  app.post('/api/ping', requireSignature(server, opts), ping)
  app.post(
    '/parsed/echo',
    express.urlencoded({ extended: false }),
    requireSignature(server, opts),
    (_req, res) => {
      const auth = res.locals.oauth1 as VerifiedRequest
      res.json({ clientKey: auth.clientKey, body: auth.request.body ?? null })
    },
  )
  return app
}

export async function listen(app: Express): Promise<ConformanceServer> {
  const server = createServer(app)
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
