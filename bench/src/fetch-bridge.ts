// The smallest bridge from node:http to a fetch handler (Node 20 has no fetch server of its
// own), for the @x/oauth1-fetch bench: IncomingMessage -> Request, Response -> ServerResponse.
// Both bench routes go through it, so its cost is on both sides of the ratio. Bench code; an
// application would use its framework's server (@hono/node-server, Bun, Deno, workerd).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { Readable } from 'node:stream'
import { errorResponse, OAuth1Error } from '@x/oauth1-core'
import { requestUrl } from '@x/oauth1-core/http'
import { type RequestContext, sendOAuthResponse } from '@x/oauth1-fetch'

/** A `Request` for an `IncomingMessage`, its URL from the Host header as the Node adapters build it. */
function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? 'GET'
  const url = requestUrl({ encrypted: false, target: req.url ?? '/', headers: req.headers })
  const body =
    method === 'GET' || method === 'HEAD' ? null : (Readable.toWeb(req) as ReadableStream)
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit)
}

/** An http.Server (not yet listening) serving `handler`; a thrown error is a bare 500. */
export function serveFetch(
  handler: (request: Request, context: RequestContext) => Promise<Response>,
): Server {
  return createServer(async (req, res) => {
    try {
      let response: Response
      try {
        response = await handler(toFetchRequest(req), { clientAddress: req.socket.remoteAddress })
      } catch (error) {
        if (!(error instanceof OAuth1Error)) throw error
        response = sendOAuthResponse(errorResponse(error))
      }
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        headers[name] = value
      })
      res.writeHead(response.status, headers)
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch {
      if (res.headersSent) res.destroy()
      else res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
    }
  })
}
