import { BENCH_PATH } from './redis-workload.ts'

/** The adapters measured, in order. */
export const ADAPTERS = ['koa', 'express', 'fetch'] as const
export type Adapter = (typeof ADAPTERS)[number]

/** The guarded route: what `signPool` signs (the query is part of the signature). */
export const PROTECTED_PATH = BENCH_PATH
/** The same route without the guard, answering the same JSON. */
export const OPEN_PATH = '/open/photos?size=original'

/**
 * The same route behind the cheapest conceivable guard: one bare `createHmac('sha1')` of a
 * fixed 400-character base string and nothing else (no parsing, no store). Not a product:
 * the bench reports it to show how far below 1 any HMAC-verifying guard must stay here.
 */
export const FLOOR_PATH = '/floor/photos?size=original'

/**
 * The same route behind the least a replay-protected verifying guard must do:
 * `checkRequestFloor` (find the pairs, sort, concatenate, one HMAC of the real base string,
 * record the nonce in a Map), validating nothing. It receives the protected route's
 * requests (replayed) and checks them against the protected route's URI; a replayed nonce
 * is recorded again but not refused, since the open and floor routes replay the pool.
 */
export const VERIFY_FLOOR_PATH = '/verify-floor/photos?size=original'

/** What the floor route hashes: a base string as long as the protected route's. */
export const FLOOR_KEY =
  'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE'
export const FLOOR_BASE_STRING = `GET&http%3A%2F%2F127.0.0.1%2Fphotos&${'oauth_nonce%3D0123456789abcdef%26'.repeat(11)}size%3Doriginal`

/** The path part of a route, for the apps' routing. */
export const pathname = (route: string): string => route.split('?')[0] as string
