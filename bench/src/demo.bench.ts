// Demo provider benchmark (issue 6): the built demo (`node apps/demo-provider/dist/main.js`,
// DEMO_ADAPTER=koa) with all its state on Redis (a redis-server of its own, never 6379),
// under autocannon: GET /api/me (three-legged, HMAC-SHA1 in the Authorization header, each
// request pre-signed with a fresh nonce) beside GET /healthz, in the same demo process.
// Order: warm-up, /api/me, /healthz, /healthz, /api/me; each route keeps its better run.
// Every response must be a 2xx.
//
// Environment: BENCH_HTTP_SECONDS (10), BENCH_WARMUP_SECONDS (1), BENCH_POOL_SIZE (100000).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Client } from '@x/oauth1-core'
import { freePort, startRedisServer, waitUntil } from '@x/oauth1-testkit/redis-server'
import { type LoadRow, load, type SignedPool } from './http-load.ts'
import { signPool } from './redis-workload.ts'

const CONNECTIONS = 50
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1)
/** Pre-signed requests to start with; topped up before a run that could use them up. */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 100_000)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = fileURLToPath(new URL('../../apps/demo-provider/dist/main.js', import.meta.url))
const CLIENT = { key: 'bench-demo-client', secret: 'bench demo secret' } as const
const CALLBACK = 'http://127.0.0.1:9/callback'
const USER = { name: 'alice', password: 'wonderland' } as const
const ME = '/api/me'
const HEALTHZ = '/healthz'

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

/** Starts the built demo on Redis and waits for /healthz. */
async function startDemo(port: number, redisUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redisUrl,
      DEMO_ADAPTER: 'koa',
      DEMO_CLIENT_KEY: CLIENT.key,
      DEMO_CLIENT_SECRET: CLIENT.secret,
      DEMO_CLIENT_CALLBACK: CALLBACK,
      DEMO_USER: USER.name,
      DEMO_PASSWORD: USER.password,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${stderr}`))),
  )
  exited.catch(() => {})
  await Promise.race([
    waitUntil(
      'the demo',
      async () => (await fetch(`http://127.0.0.1:${port}${HEALTHZ}`)).status === 200,
      20_000,
    ),
    exited,
  ])
  return child
}

/** The three-legged flow over HTTP (login and consent as the demo user): an access token. */
async function accessToken(base: string): Promise<{ key: string; secret: string }> {
  const post = async (
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    })
  const signed = async (path: string, options: ConstructorParameters<typeof Client>[0]) => {
    const s = await new Client(options).sign(`${base}${path}`, { method: 'POST' })
    const res = await fetch(s.uri, { method: 'POST', headers: s.headers })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`)
    return new URLSearchParams(body)
  }
  const credentials = { clientKey: CLIENT.key, clientSecret: CLIENT.secret }
  const temporary = await signed('/oauth/request_token', { ...credentials, callbackUri: CALLBACK })
  const token = temporary.get('oauth_token') ?? ''
  const login = await post('/login', { username: USER.name, password: USER.password, next: '/' })
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  if (login.status !== 302 || cookie === '') throw new Error(`login: ${login.status}`)
  const consent = await fetch(`${base}/oauth/authorize?oauth_token=${encodeURIComponent(token)}`, {
    headers: { cookie },
  })
  const page = await consent.text()
  const form = page.slice(page.indexOf('action="/oauth/authorize"'))
  const csrf = /name="csrf_token" value="([^"]*)"/.exec(form)?.[1]
  if (consent.status !== 200 || csrf === undefined) throw new Error(`consent: ${consent.status}`)
  const decision = await post(
    '/oauth/authorize',
    { oauth_token: token, csrf_token: csrf, decision: 'approve' },
    { cookie },
  )
  const verifier = new URL(decision.headers.get('location') ?? '', base).searchParams.get(
    'oauth_verifier',
  )
  if (decision.status !== 302 || verifier === null) throw new Error(`approval: ${decision.status}`)
  const access = await signed('/oauth/access_token', {
    ...credentials,
    resourceOwnerKey: token,
    resourceOwnerSecret: temporary.get('oauth_token_secret') ?? '',
    verifier,
  })
  return { key: access.get('oauth_token') ?? '', secret: access.get('oauth_token_secret') ?? '' }
}

execFileSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@x/oauth1-demo-provider...',
    '--output-logs=errors-only',
  ],
  { cwd: ROOT, stdio: 'inherit' },
)

const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')
const loadAtStart = loadAverage()
console.log(`load average at start: ${loadAtStart} (${cpus().length} CPUs)`)
const redis = await startRedisServer()
const port = await freePort()
let demo: ChildProcess | undefined
try {
  demo = await startDemo(port, `${redis.url}/0`)
  const base = `http://127.0.0.1:${port}`
  const token = await accessToken(base)
  const sign = (count: number): Promise<string[]> =>
    signPool(port, count, { path: ME, client: CLIENT, token })

  // One signed request first: the pool signs what the demo accepts.
  const [probe] = await sign(1)
  const check = await fetch(`${base}${ME}`, { headers: { authorization: probe as string } })
  const me = (await check.json()) as { user?: string }
  if (check.status !== 200 || me.user !== USER.name) {
    throw new Error(`GET ${ME}: ${check.status} ${JSON.stringify(me)}`)
  }

  console.log(`signing ${fmt(POOL_SIZE)} requests (fresh nonces) ...`)
  const pool: SignedPool = { headers: await sign(POOL_SIZE), next: 0 }
  let fastest = 0
  const topUp = async (seconds: number): Promise<void> => {
    const needed = Math.ceil(Math.max(fastest, 5000) * seconds * 1.5)
    const left = pool.headers.length - pool.next
    if (left >= needed) return
    console.log(`  (signing ${fmt(needed - left)} more requests)`)
    for (const header of await sign(needed - left)) pool.headers.push(header)
  }
  const run = async (path: string, seconds: number): Promise<LoadRow> => {
    if (path === ME) await topUp(seconds)
    const row = await load({
      title: `demo ${path}`,
      port,
      path,
      connections: CONNECTIONS,
      seconds,
      pool: path === ME ? pool : undefined,
    })
    if (path === ME) fastest = Math.max(fastest, row.rps)
    if (row.failed > 0) throw new Error(`GET ${path}: ${row.failed} non-2xx responses or errors`)
    return row
  }

  console.log(
    `\nthe demo (koa, state on Redis, app in a child process), autocannon ${CONNECTIONS} connections, ${SECONDS} s per run:`,
  )
  if (WARMUP_SECONDS > 0) await run(ME, WARMUP_SECONDS)
  const best: Record<string, LoadRow> = {}
  const runs: { path: string; row: LoadRow }[] = []
  for (const path of [ME, HEALTHZ, HEALTHZ, ME]) {
    const row = await run(path, SECONDS)
    runs.push({ path, row })
    if (row.rps > (best[path]?.rps ?? 0)) best[path] = row
    console.log(
      `  GET ${path.padEnd(9)} ${fmt(row.rps).padStart(8)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  non-2xx/errors ${row.failed}`,
    )
  }
  const meRow = best[ME] as LoadRow
  const healthRow = best[HEALTHZ] as LoadRow
  console.log('\nbest run of two each:')
  console.table({
    [`GET ${ME} (signed, Redis)`]: {
      'req/s': Math.round(meRow.rps),
      'p50 ms': meRow.p50,
      'p99 ms': meRow.p99,
      'non-2xx': meRow.failed,
    },
    [`GET ${HEALTHZ}`]: {
      'req/s': Math.round(healthRow.rps),
      'p50 ms': healthRow.p50,
      'p99 ms': healthRow.p99,
      'non-2xx': healthRow.failed,
    },
  })
  console.log(`/api/me is ${((meRow.rps / healthRow.rps) * 100).toFixed(0)}% of /healthz`)
  await mkdir(new URL('../results/', import.meta.url), { recursive: true })
  await writeFile(
    new URL('../results/demo.json', import.meta.url),
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
        loadAverage: { start: loadAtStart, end: loadAverage() },
        setup: {
          adapter: 'koa',
          state: 'redis',
          connections: CONNECTIONS,
          seconds: SECONDS,
          signature: 'HMAC-SHA1, Authorization header',
        },
        me: meRow,
        healthz: healthRow,
        ratio: meRow.rps / healthRow.rps,
        runs,
      },
      null,
      2,
    )}\n`,
  )
} finally {
  if (demo !== undefined && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo?.once('exit', resolve))
    demo.kill('SIGTERM')
    await exited
  }
  await redis.stop()
}
