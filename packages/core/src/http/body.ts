import { RequestTooLargeError } from '../errors.js'

/** Options of {@link readBody}. */
export interface BodyReadOptions {
  /** Largest accepted body in bytes (default 1 MiB). */
  readonly limit?: number | undefined
  /** `Content-Length`, if sent: a larger one is refused before reading anything. */
  readonly contentLength?: string | number | undefined
}

/**
 * Reads a body stream as UTF-8 text, refusing more than `limit` bytes (413). Stops
 * reading as soon as the limit is crossed.
 *
 * @param stream - The body (a Node request, a Web `ReadableStream`, any async iterable).
 * @param options - Limit and declared length.
 * @returns The text.
 * @throws {RequestTooLargeError} (413) when the body is too large.
 * @example
 * ```ts
 * const text = await readBody(req, { limit: 64 * 1024, contentLength: req.headers['content-length'] })
 * ```
 */
export async function readBody(
  stream: AsyncIterable<Uint8Array | string>,
  options: BodyReadOptions = {},
): Promise<string> {
  const limit = options.limit ?? 1024 * 1024
  const declared = options.contentLength === undefined ? undefined : Number(options.contentLength)
  if (declared !== undefined && Number.isFinite(declared) && declared > limit) {
    throw new RequestTooLargeError(`Body exceeds ${limit} bytes`, { status: 413 })
  }
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  let size = 0
  let text = ''
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
    size += bytes.length
    if (size > limit) throw new RequestTooLargeError(`Body exceeds ${limit} bytes`, { status: 413 })
    text += decoder.decode(bytes, { stream: true })
  }
  return text + decoder.decode()
}
