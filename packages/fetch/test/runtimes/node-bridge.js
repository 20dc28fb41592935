// Serves a fetch handler on node:http (Node 20 has no fetch server of its own): the
// smallest bridge from IncomingMessage to Request and from Response back. Test code; in an
// application use your framework's server (@hono/node-server, …) or Bun/Deno/workerd.
import { createServer } from 'node:http'
import { errorResponse, OAuth1Error } from '@x/oauth1-core'
import { requestUrl } from '@x/oauth1-core/http'
import { sendOAuthResponse } from '@x/oauth1-fetch'

/**
 * The request body as a web stream, with backpressure. Cancelling it (the adapter over its
 * body limit) discards the rest instead of destroying the socket, so a 413 still arrives.
 * @param {import('node:http').IncomingMessage} req
 * @returns {ReadableStream<Uint8Array>}
 */
function bodyStream(req) {
  let open = true
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        if (!open) return
        controller.enqueue(new Uint8Array(chunk))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.on('end', () => {
        if (open) controller.close()
        open = false
      })
      req.on('error', (error) => {
        if (open) controller.error(error)
        open = false
      })
      req.pause()
    },
    pull() {
      req.resume()
    },
    cancel() {
      open = false
      req.resume()
    },
  })
}

/**
 * A `Request` for an `IncomingMessage`, its URL built from the connection and the Host
 * header as the Node adapters build it (a malformed Host is the core's 400).
 * @param {import('node:http').IncomingMessage} req
 * @returns {Request}
 */
export function toFetchRequest(req) {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(String(req.rawHeaders[i]), String(req.rawHeaders[i + 1]))
  }
  const method = req.method ?? 'GET'
  const url = requestUrl({ encrypted: false, target: req.url ?? '/', headers: req.headers })
  const hasBody = method !== 'GET' && method !== 'HEAD'
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method, headers, body: hasBody ? bodyStream(req) : null, duplex: 'half' }
  return new Request(url, init)
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Response} response
 */
async function writeResponse(res, response) {
  /** @type {Record<string, string>} */
  const headers = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * Listens on 127.0.0.1 (port 0 by default). Errors thrown by the handler are a 500
 * without details; the server keeps serving. `close()` also drops idle keep-alive sockets.
 * @param {(request: Request, context: { clientAddress?: string | undefined }) => Promise<Response>} fetchHandler
 * @param {{ port?: number, hostname?: string }} [options]
 * @returns {Promise<{ server: import('node:http').Server, baseUrl: string, close(): Promise<void> }>}
 */
export function serveFetch(fetchHandler, options = {}) {
  const server = createServer(async (req, res) => {
    try {
      let request
      try {
        request = toFetchRequest(req)
      } catch (error) {
        if (!(error instanceof OAuth1Error)) throw error
        await writeResponse(res, sendOAuthResponse(errorResponse(error)))
        return
      }
      await writeResponse(
        res,
        await fetchHandler(request, { clientAddress: req.socket.remoteAddress }),
      )
    } catch {
      if (res.headersSent) res.destroy()
      else res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      resolve({
        server,
        baseUrl: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done(undefined))
            server.closeAllConnections()
          }),
      })
    })
  })
}
