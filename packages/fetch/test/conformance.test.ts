import {
  type ClientRecord,
  createRequestValidator,
  MemoryStore,
  StoreUnavailableError,
  WebApplicationServer,
} from '@x/oauth1-core'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  requireOAuth,
  requireSignature,
} from '@x/oauth1-fetch'
import { type ConformanceServerOptions, runAdapterConformance } from '@x/oauth1-testkit'
import { serveFetch } from './runtimes/node-bridge.js'

function json(value: unknown): Response {
  return Response.json(value)
}

/** What a framework's flat urlencoded parser leaves: strings, arrays for repeated names. */
async function parseFormFlat(request: Request): Promise<Record<string, string | string[]>> {
  const parsed: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(await request.text())) {
    const previous = parsed[name]
    parsed[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return parsed
}

function createApp(options: ConformanceServerOptions) {
  const store = new MemoryStore()
  for (const client of options.clients) store.saveClient(client as ClientRecord)
  const clients = {
    getClient(key: string) {
      if (key === options.unavailableClientKey) throw new StoreUnavailableError('store down')
      if (key === options.failingClientKey) throw new Error('validator bug')
      return store.getClient(key)
    },
  }
  const validator = createRequestValidator({
    clients,
    nonces: store,
    tokens: store,
    allowInsecureLoopback: true,
    onWarning: () => {},
  })
  const server = new WebApplicationServer(validator, { onWarning: () => {} })
  const adapter = {
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimit,
    onWarning: options.onWarning,
  }
  const requestToken = handler((req) => server.createRequestTokenResponse(req), adapter)
  const accessToken = handler((req) => server.createAccessTokenResponse(req), adapter)
  const profile = requireOAuth(server.resource, { ...adapter, realms: ['profile'] })
  const admin = requireOAuth(server.resource, { ...adapter, realms: ['admin'] })
  const twoLegged = requireSignature(server.signatureOnly, adapter)

  return async (request: Request, context: { clientAddress?: string | undefined }) => {
    const url = new URL(request.url)
    const opts = { ...adapter, ...context }
    switch (`${request.method} ${url.pathname}`) {
      case 'POST /oauth/request_token':
        return requestToken(request, context)
      case 'POST /oauth/access_token':
        return accessToken(request, context)
      case 'GET /oauth/authorize': {
        const alice = { resourceOwner: 'alice' }
        if (url.searchParams.has('approve'))
          return completeAuthorization(server, request, alice, opts)
        if (url.searchParams.has('deny')) return completeAuthorization(server, request, false, opts)
        const details = await authorizationDetails(server, request, opts)
        if (details instanceof Response) return details
        const { credentials, realms, clientKey } = details
        return json({ token: credentials.resourceOwnerKey, realms, clientKey: clientKey ?? null })
      }
      case 'POST /oauth/authorize':
        return completeAuthorization(
          server,
          request,
          (req) =>
            new URLSearchParams(req.body).get('decision') === 'approve' && {
              resourceOwner: 'alice',
            },
          opts,
        )
      case 'GET /api/admin': {
        const result = await admin(request, context)
        return result instanceof Response ? result : json({ clientKey: result.oauth1.clientKey })
      }
      case 'POST /api/echo': {
        const result = await profile(request, context)
        if (result instanceof Response) return result
        const { clientKey, resourceOwner, request: req } = result.oauth1
        return json({ clientKey, resourceOwner: resourceOwner ?? null, body: req.body ?? null })
      }
      case 'GET /api/ping':
      case 'POST /api/ping': {
        const result = await twoLegged(request, context)
        if (result instanceof Response) return result
        return json({ clientKey: result.oauth1.clientKey, token: result.oauth1.token ?? null })
      }
      case 'POST /parsed/echo': {
        // A body parser ran first: the adapter gets the parsed form.
        const parsedBody = await parseFormFlat(request)
        const result = await twoLegged(request, { ...context, parsedBody })
        if (result instanceof Response) return result
        const { clientKey, request: req } = result.oauth1
        return json({ clientKey, body: req.body ?? null })
      }
    }
    if (url.pathname === '/api/me') {
      // The fetch guards are functions a route calls, not middleware: the route answers
      // CORS preflights itself, and verifies HEAD like GET.
      if (request.method === 'OPTIONS') {
        return new Response(null, { status: 204, headers: { 'x-passthrough': '1' } })
      }
      const result = await profile(request, context)
      if (result instanceof Response) return result
      if (request.method === 'HEAD') {
        return new Response(null, { status: 204, headers: { 'x-passthrough': '1' } })
      }
      const { clientKey, resourceOwner, realms } = result.oauth1
      return json({ clientKey, resourceOwner: resourceOwner ?? null, realms })
    }
    return new Response('not found', { status: 404 })
  }
}

runAdapterConformance('fetch (node:http bridge)', async (options) => {
  const served = await serveFetch(createApp(options))
  return { baseUrl: served.baseUrl, close: served.close }
})
