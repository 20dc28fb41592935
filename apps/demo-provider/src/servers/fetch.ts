import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  type RequestContext,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
  toOAuthRequest,
} from '@x/oauth1-fetch'
import type { DemoProvider, Route } from '../provider.js'
import { failure, type Log } from './common.js'

/** A fetch handler: what Bun, Deno or Workers would serve. */
export type FetchHandler = (request: Request, context?: RequestContext) => Promise<Response>

function routeHandler(provider: DemoProvider, route: Route): FetchHandler {
  const opts = provider.adapterOptions
  const read = (request: Request, context?: RequestContext) =>
    toOAuthRequest(request, { ...opts, ...context })
  switch (route.type) {
    case 'token':
      return handler((req) => route.endpoint(req), opts)
    case 'page':
      return async (request, context) =>
        sendOAuthResponse(await route.handle(await read(request, context)))
    case 'protected': {
      const guard = requireOAuth(provider.server, opts)
      return async (request, context) => {
        const auth = await guard(request, context)
        return auth instanceof Response ? auth : sendOAuthResponse(route.respond(auth.oauth1))
      }
    }
    case 'signed': {
      const guard = requireSignature(provider.server, opts)
      return async (request, context) => {
        const auth = await guard(request, context)
        return auth instanceof Response ? auth : sendOAuthResponse(route.respond(auth.oauth1))
      }
    }
    case 'consent':
      return async (request, context) => {
        const gate = await provider.signedIn(await read(request, context))
        if (!gate.ok) return sendOAuthResponse(gate.response)
        const details = await authorizationDetails(provider.server, request, {
          ...opts,
          ...context,
        })
        if (details instanceof Response) return details
        return sendOAuthResponse(await provider.consentPage(gate.value, details))
      }
    case 'decision':
      return async (request, context) => {
        const gate = await provider.decision(await read(request, context))
        if (!gate.ok) return sendOAuthResponse(gate.response)
        return completeAuthorization(provider.authorization, request, gate.value, {
          ...opts,
          ...context,
        })
      }
  }
}

/** The demo as one fetch handler (routing by method and path). */
export function fetchApp(provider: DemoProvider, log: Log): FetchHandler {
  const table = new Map<string, FetchHandler>()
  for (const route of provider.routes) {
    table.set(`${route.method} ${route.path}`, routeHandler(provider, route))
  }
  return async (request, context) => {
    try {
      const { pathname } = new URL(request.url)
      const method = request.method === 'HEAD' ? 'GET' : request.method
      const route = table.get(`${method} ${pathname}`)
      if (route !== undefined) return await route(request, context)
      const req = await toOAuthRequest(request, { ...provider.adapterOptions, ...context })
      return sendOAuthResponse(await provider.fallback(req))
    } catch (error) {
      return sendOAuthResponse(failure(error, log))
    }
  }
}

/** The fetch `Request` of a node:http request. */
function toRequest(req: IncomingMessage): Request {
  const target = req.url ?? '/'
  if (!target.startsWith('/')) throw new Error('request target must be origin-form')
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http'
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`
  const url = new URL(`${scheme}://${host}${target}`)
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    duplex: 'half',
  } as RequestInit)
}

async function write(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  const body = head ? '' : await response.text()
  res.end(body)
}

/** The demo on @x/oauth1-fetch, served by node:http through a small Request/Response bridge. */
export function fetchListener(provider: DemoProvider, log: Log): RequestListener {
  const app = fetchApp(provider, log)
  return (req, res) => {
    const serve = async () => {
      let request: Request
      try {
        request = toRequest(req)
      } catch {
        res.statusCode = 400
        res.setHeader('Content-Type', 'text/plain; charset=utf-8')
        res.end('Bad Request\n')
        return
      }
      const response = await app(request, { clientAddress: req.socket.remoteAddress })
      await write(res, response, req.method === 'HEAD')
    }
    serve().catch((error: unknown) => {
      log(`fetch bridge: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent) {
        res.statusCode = 500
        res.end()
      } else res.destroy()
    })
  }
}
