import { Client } from '@x/oauth1-core'

/** Credentials the benchmark server seeds and the load generator signs with. */
export const BENCH_CLIENT = { key: 'bench-client', secret: 'bench-client-secret' } as const
export const BENCH_TOKEN = { key: 'bench-access-token', secret: 'bench-token-secret' } as const

/** The protected route's path. */
export const BENCH_PATH = '/photos?size=original'

/**
 * Pre-signs `count` requests for `GET http://127.0.0.1:PORT/photos?size=original`, each
 * with a fresh nonce: the `Authorization` header values, in order.
 */
export async function signPool(port: number, count: number): Promise<string[]> {
  const client = new Client({
    clientKey: BENCH_CLIENT.key,
    clientSecret: BENCH_CLIENT.secret,
    resourceOwnerKey: BENCH_TOKEN.key,
    resourceOwnerSecret: BENCH_TOKEN.secret,
  })
  const url = `http://127.0.0.1:${port}${BENCH_PATH}`
  const pool: string[] = []
  for (let i = 0; i < count; i++) {
    const signed = await client.sign(url)
    pool.push(signed.headers.Authorization as string)
  }
  return pool
}
