import { isFormContentType, type OAuthRequest } from '@x/oauth1-core'
import {
  type AdapterOptions,
  BODY_ALREADY_PARSED,
  defaultWarningHandler,
  normalizeHeaders,
  readBody,
  requestUrl,
  serializeParsedForm,
  shouldReadBody,
  warnOnceFor,
} from '@x/oauth1-core/http'

/** Options of every function here: `trustProxy`, `publicUrl`, `bodyLimit` (default 1 MiB), `onWarning`. */
export type FetchAdapterOptions = AdapterOptions

/** What the runtime knows beyond the `Request`. */
export interface RequestContext {
  /** The peer address (Bun: `server.requestIP(req)?.address`, Deno: `info.remoteAddr.hostname`). */
  readonly clientAddress?: string | undefined
  /** The form a framework already parsed, used only when the body was consumed before. */
  readonly parsedBody?: unknown
}

/** Options of {@link toOAuthRequest}. */
export type ToOAuthRequestOptions = FetchAdapterOptions & RequestContext

const reads = new WeakMap<Request, OAuthRequest | Promise<OAuthRequest>>()

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value
  } finally {
    // Over the limit: tell the runtime the rest is not wanted.
    await reader.cancel().catch(() => {})
  }
}

/**
 * The neutral request of a Fetch `Request`: the URL from `request.url` (or `publicUrl`, or
 * the proxy headers with `trustProxy`), lower-cased headers, and the body when the OAuth
 * layer needs it (form bodies, `oauth_body_hash`), read up to `bodyLimit`. No clone: the
 * caller's body is consumed; the text is in the result's `body`, and later calls with the
 * same `Request` return the same result. Throws an `OAuth1Error` for an oversized body
 * (413) or a malformed proxy host (400).
 */
export function toOAuthRequest(
  request: Request,
  options: ToOAuthRequestOptions = {},
): Promise<OAuthRequest> {
  try {
    const read = toOAuthRequestNow(request, options)
    return read instanceof Promise ? read : Promise.resolve(read)
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * {@link toOAuthRequest} without a promise when no body has to be read; errors are thrown.
 *
 * @internal
 */
export function toOAuthRequestNow(
  request: Request,
  options: ToOAuthRequestOptions,
): OAuthRequest | Promise<OAuthRequest> {
  let read = reads.get(request)
  if (read === undefined) {
    read = convert(request, options)
    reads.set(request, read)
  }
  return read
}

// `Request.url` is absolute and already normalised by the runtime's URL parser: its
// scheme, authority and target can be cut out without parsing it again.
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/

function convert(
  request: Request,
  options: ToOAuthRequestOptions,
): OAuthRequest | Promise<OAuthRequest> {
  const parts = ABSOLUTE.exec(request.url)
  if (parts === null) throw new TypeError(`Request.url is not absolute: ${request.url}`)
  const scheme = (parts[1] as string).toLowerCase()
  // Runtimes refuse credentials in a Request URL; were one there, it is no part of the host.
  const authority = (parts[2] as string).slice((parts[2] as string).lastIndexOf('@') + 1)
  const rest = parts[3] as string
  const target = rest === '' ? '/' : rest
  const headers = normalizeHeaders(request.headers)
  const href = requestUrl(
    { encrypted: scheme === 'https', target, headers: { ...headers, host: authority } },
    options,
  )
  const method = request.method.toUpperCase()
  if (!shouldReadBody(request.method, target, headers)) {
    return { method, url: href, headers, body: undefined, clientAddress: options.clientAddress }
  }
  return withBody(request, options, method, href, headers)
}

async function withBody(
  request: Request,
  options: ToOAuthRequestOptions,
  method: string,
  href: string,
  headers: Record<string, string>,
): Promise<OAuthRequest> {
  let body: string | undefined
  if (request.bodyUsed) {
    warnOnceFor(options.onWarning ?? defaultWarningHandler)({
      code: BODY_ALREADY_PARSED,
      message:
        'the request body was read before the OAuth adapter: the signature is checked ' +
        'against the re-serialised parsedBody; call the adapter before reading the body',
    })
    // A parsed JSON body cannot be turned back into the bytes that were hashed.
    const parsed = options.parsedBody
    const usable = typeof parsed === 'string' || isFormContentType(headers['content-type'])
    body = usable ? serializeParsedForm(parsed) : undefined
  } else if (request.body !== null) {
    const limit = options.bodyLimit
    body = await readBody(chunks(request.body), {
      limit,
      contentLength: headers['content-length'],
    })
  }
  return { method, url: href, headers, body, clientAddress: options.clientAddress }
}
