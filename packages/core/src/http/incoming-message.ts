import { RequestTooLargeError } from '../errors.js'
import type { OAuthRequest } from '../request.js'
import { isFormContentType } from '../signature/encoding.js'
import { defaultWarningHandler, once, type WarningHandler } from '../warnings.js'
import { readBody } from './body.js'
import { serializeParsedForm, shouldReadBody } from './form.js'
import { normalizeHeaders } from './headers.js'
import { type RequestUrlOptions, requestUrl } from './url.js'

/** The options every adapter takes. */
export interface AdapterOptions extends RequestUrlOptions {
  /** Largest body read for the OAuth layer, in bytes (default 1 MiB); larger is a 413. */
  readonly bodyLimit?: number | undefined
  /** Receives one-time warnings (default `console.warn`). */
  readonly onWarning?: WarningHandler | undefined
}

/**
 * The parts of a Node `http.IncomingMessage` that {@link readIncomingMessage} uses, typed
 * structurally so that the core needs no Node types.
 */
export interface IncomingMessageLike extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined
  readonly url?: string | undefined
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  readonly socket?:
    | { readonly encrypted?: boolean | undefined; readonly remoteAddress?: string | undefined }
    | null
    | undefined
  /** `true` once something consumed the body stream. */
  readonly readableEnded?: boolean | undefined
  iterator?(options: { destroyOnReturn: boolean }): AsyncIterable<Uint8Array | string>
  resume?(): unknown
}

/** Options of {@link readIncomingMessage}. */
export interface IncomingMessageOptions extends AdapterOptions {
  /**
   * The request target as the client sent it, when the framework rewrote `req.url` for a
   * mounted sub-app (Express and Koa `originalUrl`). Default `req.url`.
   */
  readonly target?: string | undefined
  /**
   * What a body parser left (`req.body`, `ctx.request.body`). Used only when the body
   * stream was already consumed.
   */
  readonly parsedBody?: unknown
}

/** The warning code of a body that a parser consumed before the adapter. */
export const BODY_ALREADY_PARSED = 'body-already-parsed'

const warners = new WeakMap<WarningHandler, WarningHandler>()
const reads = new WeakMap<object, OAuthRequest | Promise<OAuthRequest>>()

/**
 * The once-per-warning-code wrapper of a handler, shared by every adapter call that uses
 * the same handler (so a warning is announced once per application, not once per request).
 */
export function warnOnceFor(handler: WarningHandler): WarningHandler {
  let warner = warners.get(handler)
  if (warner === undefined) {
    warner = once(handler)
    warners.set(handler, warner)
  }
  return warner
}

function parsedBodyText(parsed: unknown, contentType: string | undefined): string | undefined {
  if (typeof parsed === 'string') return parsed
  if (parsed instanceof Uint8Array) return new TextDecoder().decode(parsed)
  // A parsed JSON (or other) body cannot be turned back into the bytes that were hashed.
  return isFormContentType(contentType) ? serializeParsedForm(parsed) : undefined
}

/**
 * Turns a Node `IncomingMessage` into an {@link OAuthRequest}: the URL from
 * {@link requestUrl} (a TLS socket means https), headers lower-cased, the peer address,
 * and the body when {@link shouldReadBody} says it matters (RFC 5849 §3.4.1.3.1, OAuth
 * Body Hash), read with a byte limit. If a body parser already consumed the stream, the
 * parsed form is re-serialised ({@link serializeParsedForm}) and a warning with code
 * `body-already-parsed` is sent once per `onWarning` handler. Each request is read once:
 * later calls with the same `req` return the same result, so an application can still see
 * the body the adapter consumed.
 *
 * After a 413 the rest of the body is discarded rather than the socket destroyed, so the
 * response still reaches the client.
 *
 * @param req - The Node request (Koa `ctx.req`, Express `req`).
 * @param options - Proxy trust, public URL, body limit, warnings, target, parsed body.
 * @returns The neutral request.
 * @throws {ParameterRejectedError} for a malformed host, or a parsed body with nested values.
 * @throws {RequestTooLargeError} (413) for a body over `bodyLimit`.
 * @example
 * ```ts
 * const oauthRequest = await readIncomingMessage(req, { trustProxy: true, target: req.originalUrl })
 * ```
 */
export function readIncomingMessage(
  req: IncomingMessageLike,
  options: IncomingMessageOptions = {},
): Promise<OAuthRequest> {
  try {
    const read = readIncomingMessageNow(req, options)
    return read instanceof Promise ? read : Promise.resolve(read)
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * {@link readIncomingMessage} without a promise when none is needed: a request without a
 * body to read (a GET, a request whose body is not signed) is converted at once, so a
 * guard on a synchronous store verifies it without waiting for a microtask. A body read
 * is a promise, started once per request. Protocol errors (a malformed Host header) are
 * thrown.
 *
 * @param req - The incoming message.
 * @param options - As for {@link readIncomingMessage}.
 * @returns The request, or a promise of it while the body is read.
 * @throws {OAuth1Error} when the request cannot be converted.
 * @example
 * ```ts
 * const req = readIncomingMessageNow(nodeRequest, { trustProxy: true })
 * const oauthRequest = req instanceof Promise ? await req : req
 * ```
 */
export function readIncomingMessageNow(
  req: IncomingMessageLike,
  options: IncomingMessageOptions = {},
): OAuthRequest | Promise<OAuthRequest> {
  const started = reads.get(req)
  if (started !== undefined) return started
  const method = (req.method ?? 'GET').toUpperCase()
  const target = options.target ?? req.url ?? '/'
  const headers = normalizeHeaders(req.headers)
  const url = requestUrl(
    { encrypted: req.socket?.encrypted === true, target, headers },
    { trustProxy: options.trustProxy, publicUrl: options.publicUrl },
  )
  const clientAddress = req.socket?.remoteAddress ?? undefined
  // A second conversion of the same request answers the first: the body can be read once.
  const read = shouldReadBody(method, target, headers)
    ? withBody(req, options, method, url, headers, clientAddress)
    : { method, url, headers, body: undefined, clientAddress }
  reads.set(req, read)
  return read
}

async function withBody(
  req: IncomingMessageLike,
  options: IncomingMessageOptions,
  method: string,
  url: string,
  headers: Record<string, string>,
  clientAddress: string | undefined,
): Promise<OAuthRequest> {
  let body: string | undefined
  if (req.readableEnded === true) {
    warnOnceFor(options.onWarning ?? defaultWarningHandler)({
      code: BODY_ALREADY_PARSED,
      message:
        'a body parser consumed the request body before the OAuth adapter: the signature is ' +
        'checked against the re-serialised parsed form; mount the adapter before body parsers',
    })
    body = parsedBodyText(options.parsedBody, headers['content-type'])
  } else {
    // Neither destroy the stream on early exit nor leave it paused: after a 413 the rest is
    // drained (resume), so the response arrives and a keep-alive connection stays usable.
    const source =
      typeof req.iterator === 'function' ? req.iterator({ destroyOnReturn: false }) : req
    try {
      body = await readBody(source, {
        limit: options.bodyLimit ?? 1024 * 1024,
        contentLength: headers['content-length'],
      })
    } catch (error) {
      if (error instanceof RequestTooLargeError) req.resume?.()
      throw error
    }
  }
  return { method, url, headers, body, clientAddress }
}
