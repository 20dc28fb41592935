// Redis benchmarks (issue 5): nonce claims per second with ioredis auto-pipelining off and
// on, then the protected Koa route's requests per second on RedisStore beside the same on
// MemoryStore, in one run. Spawns its own redis-server; never touches 6379.
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { RedisStore } from '@x/oauth1-redis-validator'
import { freePort, startRedisServer } from '@x/oauth1-testkit/redis-server'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
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

  async function startApp(args: string[]): Promise<ChildProcess> {
    const child = fork(fileURLToPath(new URL('./redis-http-server.ts', import.meta.url)), args, {
      env: { ...process.env, BENCH_PORT: String(port) },
    })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)))
    })
    return child
  }

  async function load(title: string, args: string[]): Promise<autocannon.Result> {
    const child = await startApp(args)
    let next = 0
    try {
      const result = await autocannon({
        title,
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: HTTP_SECONDS,
        requests: [
          {
            method: 'GET',
            path: BENCH_PATH,
            setupRequest: (request) => {
              const authorization = pool[next++ % pool.length] as string
              return { ...request, headers: { ...request.headers, authorization } }
            },
          },
        ],
      })
      if (next > pool.length) throw new Error(`${title}: the pool of ${pool.length} ran out`)
      return result
    } finally {
      child.send('stop')
      await new Promise((resolve) => child.once('exit', resolve))
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
    const r = await load(title, args)
    const row = {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx + r.errors + r.timeouts,
    }
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
