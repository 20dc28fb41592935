// A small HTTP/1.1 client on node:http (no connection pool, exact headers) and a raw
// socket helper, for the conformance suite.
import { type IncomingHttpHeaders, request } from 'node:http'
import { connect } from 'node:net'

/** A response, fully read. */
export interface HttpResult {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** Options of {@link httpRequest}. */
export interface HttpRequestInit {
  readonly method?: string | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** A string is sent with `Content-Length`; an array of chunks is sent chunked. */
  readonly body?: string | readonly string[] | undefined
}

/**
 * Sends one request on a fresh connection and reads the whole response.
 *
 * @example
 * ```ts
 * const res = await httpRequest(`${baseUrl}/api/ping`, { headers: signed.headers })
 * ```
 */
export function httpRequest(url: string, init: HttpRequestInit = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { connection: 'close', ...init.headers }
    if (typeof init.body === 'string')
      headers['content-length'] = String(Buffer.byteLength(init.body))
    const req = request(url, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
    req.on('error', reject)
    if (typeof init.body === 'string') req.end(init.body)
    else if (init.body !== undefined) {
      for (const chunk of init.body) req.write(chunk)
      req.end()
    } else req.end()
  })
}

/**
 * Opens a raw connection, sends `head` and part of a body, then destroys the socket
 * without waiting for an answer: a client that disconnects mid-body.
 *
 * @param baseUrl - `http://host:port`.
 * @param head - The request line and headers, CRLF-separated, ending with an empty line.
 * @param partial - The part of the body that is sent.
 */
export function sendAndDisconnect(baseUrl: string, head: string, partial: string): Promise<void> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(head)
      socket.write(partial, () => {
        // Let the server start reading the body before the client goes away.
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 50)
      })
    })
    socket.on('error', reject)
  })
}
