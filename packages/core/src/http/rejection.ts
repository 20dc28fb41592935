import type { RejectedRequest } from '../endpoints/base.js'
import { OAuth1Error } from '../errors.js'
import type { OAuthRequest } from '../request.js'
import { errorResponse } from '../response.js'

/**
 * {@link requestOrRejection} for a conversion that may answer at once (as
 * `readIncomingMessageNow`): no promise unless the conversion made one.
 *
 * @param read - Runs the conversion; a protocol error it throws becomes the rejection.
 * @returns The request or the rejection, or a promise of either.
 * @example
 * ```ts
 * let req = readOrRejection(() => readIncomingMessageNow(nodeRequest))
 * if (req instanceof Promise) req = await req
 * ```
 */
export function readOrRejection(
  read: () => OAuthRequest | Promise<OAuthRequest>,
): OAuthRequest | RejectedRequest | Promise<OAuthRequest | RejectedRequest> {
  let pending: OAuthRequest | Promise<OAuthRequest>
  try {
    pending = read()
  } catch (error) {
    return rejectionOf(error)
  }
  return pending instanceof Promise ? requestOrRejection(pending) : pending
}

function rejectionOf(error: unknown): RejectedRequest {
  if (!(error instanceof OAuth1Error)) throw error
  return { ok: false, error, response: errorResponse(error), checks: undefined }
}

/**
 * Awaits an adapter's request conversion and turns a protocol error (malformed host,
 * oversized body, nested parsed form) into the rejection an endpoint would have returned,
 * so adapters handle both the same way. Other errors propagate.
 *
 * @param pending - The conversion, e.g. `readIncomingMessage(req, options)`.
 * @returns The request, or `{ ok: false, error, response }`.
 * @example
 * ```ts
 * const req = await requestOrRejection(toOAuthRequest(ctx, options))
 * if (isRejection(req)) return send(req.response)
 * ```
 */
export async function requestOrRejection(
  pending: Promise<OAuthRequest>,
): Promise<OAuthRequest | RejectedRequest> {
  try {
    return await pending
  } catch (error) {
    return rejectionOf(error)
  }
}

/** Whether {@link requestOrRejection} answered with a rejection. */
export function isRejection(value: OAuthRequest | RejectedRequest): value is RejectedRequest {
  return 'ok' in value
}
