// Adapter benchmarks (issue 4, item 5): per adapter (Koa, Express, fetch on node:http), the
// protected GET route (requireOAuth, MemoryStore, HMAC-SHA1 in the Authorization header, a
// fresh nonce per request) beside the same framework's unprotected route answering the same
// JSON, in one server process per adapter (a child process: autocannon keeps its own event
// loop). Both routes receive the same requests: each carries a pre-signed Authorization
// header that autocannon sets per request (the open route ignores it), so the client does
// the same work for both and the ratio measures the guard alone. A third route, the floor,
// answers after one bare createHmac('sha1') of a 400-character base string and nothing
// else: the ceiling of the ratio for any guard that verifies an HMAC, on this machine. A
// fourth, verify-floor, runs checkRequestFloor (find the pairs, sort, concatenate, one HMAC
// of the real base string, the nonce recorded in a Map) and validates nothing: the ceiling
// for any guard that verifies the request and remembers its nonce.
// Order per adapter: protected, open, floor, verify-floor, verify-floor, floor, open,
// protected; each route keeps its better run.
//
// Environment: BENCH_HTTP_SECONDS (10), BENCH_WARMUP_SECONDS (1), BENCH_POOL_SIZE (300000),
// BENCH_ADAPTERS (koa,express,fetch), BENCH_CPU_PROF=<dir>: one run of the protected route
// (or of BENCH_CPU_PROF_ROUTE=open|floor|verify-floor) per adapter, the server under `node --cpu-prof`.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { freePort } from '@x/oauth1-testkit/redis-server'
import {
  ADAPTERS,
  type Adapter,
  FLOOR_PATH,
  OPEN_PATH,
  PROTECTED_PATH,
  VERIFY_FLOOR_PATH,
} from './adapters-workload.ts'
import { type LoadRow, load, type SignedPool, startServer } from './http-load.ts'
import { signPool } from './redis-workload.ts'

const TARGET_PROTECTED_VS_OPEN = 0.8
const CONNECTIONS = 50
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)
/** Pre-signed requests to start with; topped up between runs when a run could exhaust it. */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 300_000)
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF
const adapters = (process.env.BENCH_ADAPTERS?.split(',') ?? [...ADAPTERS]) as Adapter[]

type Route = 'protected' | 'open' | 'floor' | 'verify-floor'
const ORDER: Route[] = CPU_PROF_DIR
  ? [(process.env.BENCH_CPU_PROF_ROUTE ?? 'protected') as Route]
  : ['protected', 'open', 'floor', 'verify-floor', 'verify-floor', 'floor', 'open', 'protected']
const ROUTES: Route[] = ['protected', 'open', 'floor', 'verify-floor']
const PATHS: Record<Route, string> = {
  protected: PROTECTED_PATH,
  open: OPEN_PATH,
  floor: FLOOR_PATH,
  'verify-floor': VERIFY_FLOOR_PATH,
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')
const load1 = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')

const port = await freePort()
const serverScript = new URL('./adapters-server.ts', import.meta.url)
const loadAtStart = load1()
console.log(`load average at start: ${loadAtStart} (${cpus().length} CPUs)`)
console.log(`signing ${fmt(POOL_SIZE)} requests (fresh nonces) ...`)
const headers = await signPool(port, POOL_SIZE)
/** The fastest rate seen so far: sizes the next top-up of the pool. */
let fastest = 0

/** Signs more requests if the next protected run could use up what is left. */
async function topUp(pool: SignedPool, seconds: number): Promise<void> {
  const needed = Math.ceil(Math.max(fastest, 5000) * seconds * 1.5)
  const left = pool.headers.length - pool.next
  if (left >= needed) return
  console.log(`  (signing ${fmt(needed - left)} more requests)`)
  for (const header of await signPool(port, needed - left)) pool.headers.push(header)
}

/** A run, with the server's CPU time (user + system) per response, in µs. */
interface Row extends LoadRow {
  readonly cpuUs: number
}

interface AdapterResult {
  protected: Row
  open: Row
  ratio: number
  /** The bare-HMAC floor route: the best ratio any HMAC-verifying guard could reach here. */
  floor: Row
  floorRatio: number
  /** The verify-floor route: parse, sort, HMAC, nonce in a Map, no validation. */
  verifyFloor: Row
  verifyFloorRatio: number
  /** Median server CPU µs per response of each route, over its runs. */
  cpuUs: Record<Route, number>
  runs: { route: Route; row: Row }[]
}
const results: Partial<Record<Adapter, AdapterResult>> = {}

console.log(
  `\nGET ${PROTECTED_PATH} (requireOAuth) vs GET ${OPEN_PATH} (no guard), autocannon ${CONNECTIONS} connections, ${SECONDS} s per run, app in a child process:`,
)
for (const adapter of adapters) {
  // No --cpu-prof-name: the loader-hooks thread (tsx) writes its own profile, the name must
  // differ. The main thread's file is the one with thread id 0 (`CPU.*.<pid>.0.*`).
  const execArgv = CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF_DIR, `${adapter}-${ORDER[0]}`)}`]
    : []
  const server = await startServer(serverScript, [adapter], port, execArgv)
  // One MemoryStore per process: its nonces must never come round again.
  const pool: SignedPool = { headers, next: 0 }
  try {
    const run = async (route: Route, seconds: number): Promise<Row> => {
      if (route === 'protected') await topUp(pool, seconds)
      const cpuBefore = await server.cpu()
      const loaded = await load({
        title: `${adapter} ${route}`,
        port,
        path: PATHS[route],
        connections: CONNECTIONS,
        seconds,
        pool: route === 'protected' ? pool : undefined,
        // The open route gets the same requests, built the same way by the client: the
        // ratio then measures the guard, not autocannon's per-request work.
        replay: route === 'protected' ? undefined : pool.headers,
      })
      const row = { ...loaded, cpuUs: ((await server.cpu()) - cpuBefore) / loaded.requests }
      if (row.failed > 0 || row.requests === 0) {
        throw new Error(`${adapter} ${route}: ${row.failed} non-2xx/errors/timeouts`)
      }
      fastest = Math.max(fastest, row.rps)
      return row
    }
    if (WARMUP_SECONDS > 0) {
      for (const route of new Set(ORDER)) await run(route, WARMUP_SECONDS)
    }
    const runs: { route: Route; row: Row }[] = []
    for (const route of ORDER) {
      const row = await run(route, SECONDS)
      runs.push({ route, row })
      console.log(
        `  ${adapter.padEnd(8)} ${route.padEnd(12)} ${fmt(row.rps).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  server CPU ${row.cpuUs.toFixed(1)} µs/req  ${fmt(row.requests)} requests, non-2xx/errors ${row.failed}`,
      )
    }
    const best = (route: Route): Row =>
      runs
        .filter((r) => r.route === route)
        .map((r) => r.row)
        .reduce((a, b) => (b.rps > a.rps ? b : a))
    if (!CPU_PROF_DIR) {
      const guarded = best('protected')
      const open = best('open')
      const floor = best('floor')
      const verifyFloor = best('verify-floor')
      results[adapter] = {
        protected: guarded,
        open,
        ratio: guarded.rps / open.rps,
        floor,
        floorRatio: floor.rps / open.rps,
        verifyFloor,
        verifyFloorRatio: verifyFloor.rps / open.rps,
        cpuUs: Object.fromEntries(
          ROUTES.map((route) => {
            const cpu = runs.filter((r) => r.route === route).map((r) => r.row.cpuUs)
            return [route, cpu.reduce((a, b) => a + b, 0) / cpu.length]
          }),
        ) as Record<Route, number>,
        runs,
      }
    }
    console.log(`  ${adapter.padEnd(8)} ${fmt(pool.next)} signed requests used, none twice`)
  } finally {
    await server.stop()
  }
}

if (CPU_PROF_DIR) {
  console.log(`\nCPU profiles in ${resolve(CPU_PROF_DIR)}`)
} else {
  const loadAtEnd = load1()
  const rows = Object.entries(results).map(([adapter, r]) => [
    adapter,
    fmt(r.protected.rps),
    fmt(r.open.rps),
    `${r.ratio.toFixed(2)}x`,
    fmt(r.floor.rps),
    `${r.floorRatio.toFixed(2)}x`,
    fmt(r.verifyFloor.rps),
    `${r.verifyFloorRatio.toFixed(2)}x`,
    `${r.protected.p99} ms`,
    `${r.open.p99} ms`,
    r.ratio >= TARGET_PROTECTED_VS_OPEN ? 'met' : 'BELOW TARGET',
  ])
  const head = [
    'adapter',
    'protected req/s',
    'open req/s',
    'ratio',
    'bare-HMAC req/s',
    'bare-HMAC ratio',
    'verify-floor req/s',
    'verify-floor ratio',
    'p99 protected',
    'p99 open',
    `>= ${TARGET_PROTECTED_VS_OPEN}x`,
  ]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`
  console.log(`\nbetter run of two per route; load average at end: ${loadAtEnd}`)
  console.log(line(head))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const row of rows) console.log(line(row))

  // Requests per second on a shared 2-core host swing from run to run; the server's own CPU
  // time per response is steadier. open / route is the rate ratio the route would have if
  // the server's CPU were the only limit.
  console.log('\nserver CPU per response (user + system, mean of the runs), and open / route:')
  for (const [adapter, r] of Object.entries(results)) {
    const cells = ROUTES.map((route) => {
      const cpu = r.cpuUs[route]
      const ratio = route === 'open' ? '' : ` (${(r.cpuUs.open / cpu).toFixed(2)}x)`
      return `${route} ${cpu.toFixed(1)} µs${ratio}`
    })
    console.log(`  ${adapter.padEnd(8)} ${cells.join('  ')}`)
  }

  await mkdir(new URL('../results/', import.meta.url), { recursive: true })
  await writeFile(
    new URL('../results/adapters.json', import.meta.url),
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        settings: {
          connections: CONNECTIONS,
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          order: ORDER,
          protectedPath: PROTECTED_PATH,
          openPath: OPEN_PATH,
          floorPath: FLOOR_PATH,
          verifyFloorPath: VERIFY_FLOOR_PATH,
          signature: 'HMAC-SHA1, Authorization header, no realms, MemoryStore',
        },
        target: TARGET_PROTECTED_VS_OPEN,
        adapters: results,
      },
      null,
      2,
    )}\n`,
  )
}
