// A small provider served through @x/oauth1-fetch, shared by every runtime test (Node,
// Bun, Deno, workerd, Hono). Plain JavaScript so that Node 20 runs it without a loader;
// outside vitest it resolves the packages' built dist.
import { createRequestValidator, MemoryStore, WebApplicationServer } from '@x/oauth1-core'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
} from '@x/oauth1-fetch'

/** Which runtime serves the app. */
export function runtimeName() {
  if (typeof globalThis.Bun !== 'undefined') return `bun ${globalThis.Bun.version}`
  if (typeof globalThis.Deno !== 'undefined') return `deno ${globalThis.Deno.version.deno}`
  if (globalThis.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof globalThis.process?.versions?.node === 'string')
    return `node ${globalThis.process.versions.node}`
  return 'unknown'
}

function json(value, status = 200) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

/**
 * @param {{ clients: import('@x/oauth1-core').ClientRecord[], adapter?: import('@x/oauth1-fetch').FetchAdapterOptions }} config
 * @returns {(request: Request, context?: import('@x/oauth1-fetch').RequestContext) => Promise<Response>}
 */
export function createApp(config) {
  const store = new MemoryStore()
  for (const client of config.clients) store.saveClient(client)
  const warnings = []
  const onWarning = (w) => warnings.push(w.code)
  const validator = createRequestValidator({
    clients: store,
    nonces: store,
    tokens: store,
    allowInsecureLoopback: true,
    onWarning,
  })
  const server = new WebApplicationServer(validator, { onWarning })
  const options = { onWarning, ...config.adapter }
  const requestToken = handler((req) => server.createRequestTokenResponse(req), options)
  const accessToken = handler((req) => server.createAccessTokenResponse(req), options)
  const photos = requireOAuth(server.resource, options)
  const twoLegged = requireSignature(server.signatureOnly, options)

  return async (request, context) => {
    const { pathname } = new URL(request.url)
    const route = `${request.method} ${pathname}`
    switch (route) {
      case 'GET /runtime':
        return json({ runtime: runtimeName(), warnings })
      case 'POST /oauth/request_token':
        return requestToken(request, context)
      case 'GET /oauth/authorize': {
        const details = await authorizationDetails(server, request, { ...options, ...context })
        if (details instanceof Response) return details
        return json({ clientKey: details.clientKey, realms: details.realms })
      }
      case 'POST /oauth/authorize':
        // The app's own consent form: the adapter reads the body once and shows it here.
        return completeAuthorization(
          server,
          request,
          (req) =>
            new URLSearchParams(req.body ?? '').get('decision') === 'allow' && {
              resourceOwner: 'alice',
            },
          { ...options, ...context },
        )
      case 'POST /oauth/access_token':
        return accessToken(request, context)
      case 'GET /api/photos':
      case 'POST /api/photos': {
        const result = await photos(request, context)
        if (result instanceof Response) return result
        const { clientKey, token, resourceOwner, request: req } = result.oauth1
        return json({ runtime: runtimeName(), clientKey, token, resourceOwner, body: req.body })
      }
      case 'GET /api/two-legged':
      case 'POST /api/two-legged': {
        const result = await twoLegged(request, context)
        if (result instanceof Response) return result
        const { clientKey, token, request: req } = result.oauth1
        return json({ runtime: runtimeName(), clientKey, token, body: req.body })
      }
      default:
        return sendOAuthResponse({ status: 404, headers: {}, body: 'not found' })
    }
  }
}
