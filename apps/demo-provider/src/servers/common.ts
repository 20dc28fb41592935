import type { RequestListener } from 'node:http'
import { errorResponse, OAuth1Error, type OAuthResponse } from '@x/oauth1-core'
import type { DemoProvider } from '../provider.js'

/** Where a server reports what it could not answer properly. */
export type Log = (line: string) => void

/** What each adapter module provides: a node:http listener serving every route. */
export type ListenerFactory = (provider: DemoProvider, log: Log) => RequestListener

function plain(status: number, text: string): OAuthResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    body: `${text}\n`,
  }
}

/**
 * The answer to an exception out of a route: the core's response for an OAuth error
 * (a 503 when a store is down), the framework's 4xx for bad input it detected, and a
 * logged 500 for anything else (a bug).
 */
export function failure(error: unknown, log: Log): OAuthResponse {
  if (error instanceof OAuth1Error) return errorResponse(error)
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return plain(status, status === 413 ? 'Payload Too Large' : 'Bad Request')
  }
  if (error instanceof URIError) return plain(400, 'Bad Request')
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return plain(500, 'Internal Server Error')
}
