// Redis benchmarks (issue 5): nonce claims per second with ioredis auto-pipelining off and
// on, then the protected Koa route's requests per second on RedisStore beside the same on
// MemoryStore, in one run. Spawns its own redis-server; never touches 6379.
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { RedisStore } from '@x/oauth1-redis-validator'
import { freePort, startRedisServer } from '@x/oauth1-testkit/redis-server'
import { Redis } from 'ioredis'
import { type LoadRow, load, startServer } from './http-load.ts'
import { BENCH_PATH, signPool } from './redis-workload.ts'

const TARGET_REDIS_VS_MEMORY = 0.6
const NONCE_SECONDS = Number(process.env.BENCH_NONCE_SECONDS ?? 3)
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10)
const CONNECTIONS = 50
const CONCURRENCY = 100
/** Pre-signed requests; each run must not use more (a reused nonce would be a 401). */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 300_000)

const prefix = (): string => `bench${randomBytes(4).toString('hex')}:`
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

const server = await startRedisServer()
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
}

try {
  // --- nonce claims ----------------------------------------------------------------------
  async function claimsPerSecond(autoPipelining: boolean, concurrency: number): Promise<number> {
    const redis = new Redis(server.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: autoPipelining,
    })
    await redis.connect()
    const store = new RedisStore(redis, { keyPrefix: prefix() })
    const timestamp = String(Math.floor(Date.now() / 1000))
    let claims = 0
    const end = Date.now() + NONCE_SECONDS * 1000
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let i = 0; Date.now() < end; i++) {
          const fresh = await store.claimNonce(
            { clientKey: 'bench-client', timestamp, nonce: `${worker}-${i}`, token: 'tok' },
            1200,
          )
          if (!fresh) throw new Error('a fresh nonce was refused')
          claims++
        }
      }),
    )
    await redis.flushall()
    redis.disconnect()
    return claims / NONCE_SECONDS
  }

  console.log(`nonce claims per second (${NONCE_SECONDS} s each, RedisStore.claimNonce):`)
  const nonceRows: Record<string, number> = {}
  for (const [name, pipelining, concurrency] of [
    ['auto-pipelining off, 1 in flight', false, 1],
    [`auto-pipelining off, ${CONCURRENCY} in flight`, false, CONCURRENCY],
    [`auto-pipelining on, ${CONCURRENCY} in flight`, true, CONCURRENCY],
    [`auto-pipelining on, ${CONCURRENCY} in flight `, true, CONCURRENCY],
    [`auto-pipelining off, ${CONCURRENCY} in flight `, false, CONCURRENCY],
  ] as const) {
    const rate = await claimsPerSecond(pipelining, concurrency)
    const key = name.trim()
    nonceRows[key] = Math.max(nonceRows[key] ?? 0, rate)
    console.log(`  ${name.padEnd(40)} ${fmt(rate).padStart(10)} /s`)
  }
  results.nonceClaimsPerSecond = nonceRows

  // --- the protected route ---------------------------------------------------------------
  const port = await freePort()
  console.log(`\nsigning ${fmt(POOL_SIZE)} requests (fresh nonces) ...`)
  const pool = await signPool(port, POOL_SIZE)

  const serverScript = new URL('./redis-http-server.ts', import.meta.url)

  async function runApp(title: string, args: string[]): Promise<LoadRow> {
    const app = await startServer(serverScript, args, port)
    try {
      // A fresh store per run: the pool starts over.
      const signed = { headers: pool, next: 0 }
      return await load({
        title,
        port,
        path: BENCH_PATH,
        connections: CONNECTIONS,
        seconds: HTTP_SECONDS,
        pool: signed,
      })
    } finally {
      await app.stop()
    }
  }

  console.log(
    `protected Koa route (@x/oauth1-koa requireOAuth; app in a child process), autocannon ${CONNECTIONS} connections, ${HTTP_SECONDS} s each:`,
  )
  // A B C C B A, keeping each one's better run: slow drift of a shared machine favours none.
  const memoryRun: [string, string[]] = ['MemoryStore', ['memory']]
  const redisOn: [string, string[]] = [
    'RedisStore, auto-pipelining on',
    ['redis', server.url, '', '1'],
  ]
  const redisOff: [string, string[]] = [
    'RedisStore, auto-pipelining off',
    ['redis', server.url, '', '0'],
  ]
  const runs = [memoryRun, redisOn, redisOff, redisOff, redisOn, memoryRun].map(
    ([title, args]): [string, string[]] => [
      title,
      args[0] === 'redis' ? [...args.slice(0, 2), prefix(), ...args.slice(3)] : args,
    ],
  )
  const http: Record<string, { rps: number; p50: number; p99: number; non2xx: number }> = {}
  for (const [title, args] of runs) {
    const r = await runApp(title, args)
    const row = { rps: r.rps, p50: r.p50, p99: r.p99, non2xx: r.failed }
    if (row.rps > (http[title]?.rps ?? 0)) http[title] = row
    console.log(
      `  ${title.padEnd(36)} ${fmt(row.rps).padStart(8)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  non-2xx/errors ${row.non2xx}`,
    )
    if (row.non2xx > 0) throw new Error(`${title}: ${row.non2xx} requests failed`)
  }
  const memory = http.MemoryStore?.rps ?? Number.NaN
  const ratioOn = (http['RedisStore, auto-pipelining on']?.rps ?? 0) / memory
  const ratioOff = (http['RedisStore, auto-pipelining off']?.rps ?? 0) / memory
  results.http = http
  results.ratios = { autoPipeliningOn: ratioOn, autoPipeliningOff: ratioOff }
  console.log(
    `\nRedis / Memory (better run of two each): ${ratioOn.toFixed(2)}x (auto-pipelining on), ${ratioOff.toFixed(2)}x (off); target >= ${TARGET_REDIS_VS_MEMORY}x: ${
      Math.max(ratioOn, ratioOff) >= TARGET_REDIS_VS_MEMORY ? 'met' : 'NOT met'
    }`,
  )
  await mkdir(new URL('../results/', import.meta.url), { recursive: true })
  await writeFile(
    new URL('../results/redis.json', import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  )
} finally {
  await server.stop()
}
