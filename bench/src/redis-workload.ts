import { Client } from '@x/oauth1-core'

/** Credentials the benchmark server seeds and the load generator signs with. */
export const BENCH_CLIENT = { key: 'bench-client', secret: 'bench-client-secret' } as const
export const BENCH_TOKEN = { key: 'bench-access-token', secret: 'bench-token-secret' } as const

/** The protected route's path. */
export const BENCH_PATH = '/photos?size=original'

/** What {@link signPool} signs for: the bench server's route and credentials by default. */
export interface SignPoolOptions {
  /** Path and query (default {@link BENCH_PATH}). */
  readonly path?: string
  readonly client?: { readonly key: string; readonly secret: string }
  readonly token?: { readonly key: string; readonly secret: string }
}

/**
 * Pre-signs `count` requests for `GET http://127.0.0.1:PORT/photos?size=original` (or
 * `options.path`), each with a fresh nonce: the `Authorization` header values, in order.
 */
export async function signPool(
  port: number,
  count: number,
  options: SignPoolOptions = {},
): Promise<string[]> {
  const clientCredentials = options.client ?? BENCH_CLIENT
  const token = options.token ?? BENCH_TOKEN
  const client = new Client({
    clientKey: clientCredentials.key,
    clientSecret: clientCredentials.secret,
    resourceOwnerKey: token.key,
    resourceOwnerSecret: token.secret,
  })
  const url = `http://127.0.0.1:${port}${options.path ?? BENCH_PATH}`
  const pool: string[] = []
  for (let i = 0; i < count; i++) {
    const signed = await client.sign(url)
    pool.push(signed.headers.Authorization as string)
  }
  return pool
}
