// The resource endpoint end to end (parse, checks, MemoryStore nonce claim, lookups,
// HMAC-SHA1 verification) in verifications per second, beside the bare HMAC of the same
// base string and beside Python oauthlib running the same workload, all in one run.
// Usage: tsx src/endpoint.bench.ts [seconds-per-round] (after building: pnpm run build:deps)
import { spawnSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  baseStringUri,
  Client,
  createOAuthRequest,
  createRequestValidator,
  escape,
  MemoryStore,
  type OAuthRequest,
  ResourceEndpoint,
} from '@x/oauth1-core'
import { checkRequestFloor, FLOOR_FRESH, type RawRequest } from './workload.ts'

// The same identities and URI as bench/oauthlib/verify_bench.py.
const CLIENT_KEY = 'clientkey0123456789abc'
const CLIENT_SECRET = 'clientsecret0123456789'
const TOKEN = 'accesstoken01234567890'
const TOKEN_SECRET = 'accesssecret0123456789'
const URI = 'https://api.example.com/photos?file=vacation.jpg&size=original&page=2&sort=desc'
const PYTHON = '/usr/bin/python3'
const SECONDS = Number(process.argv[2] ?? 3)
const POOL = 400_000

function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}

function flatHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) out[name] = flat(value)
  return out
}

async function signedPool(size: number): Promise<OAuthRequest[]> {
  const pool: OAuthRequest[] = []
  for (let i = 0; i < size; i++) {
    const client = new Client({
      clientKey: CLIENT_KEY,
      clientSecret: CLIENT_SECRET,
      resourceOwnerKey: TOKEN,
      resourceOwnerSecret: TOKEN_SECRET,
      nonce: `nonce${String(i).padStart(20, '0')}`,
    })
    const signed = await client.sign(URI)
    const request = createOAuthRequest({ method: 'GET', url: signed.uri, headers: signed.headers })
    // As an HTTP parser hands them over: flat strings, not the trees of pieces the signer
    // concatenated (the first read of such a tree copies it, a cost no server request has).
    pool.push({ ...request, url: flat(request.url), headers: flatHeaders(request.headers) })
  }
  return pool
}

function provider(): ResourceEndpoint {
  const store = new MemoryStore()
  store.saveClient({ clientKey: CLIENT_KEY, clientSecret: CLIENT_SECRET })
  store.saveAccessToken({
    token: TOKEN,
    secret: TOKEN_SECRET,
    clientKey: CLIENT_KEY,
    realms: [],
    createdAt: Date.now(),
  })
  const validator = createRequestValidator({ clients: store, nonces: store, tokens: store })
  return new ResourceEndpoint(validator)
}

/** Verifications per second over fresh requests of the pool, for `seconds`. */
async function ours(
  pool: OAuthRequest[],
  start: number,
  seconds: number,
): Promise<[number, number]> {
  const endpoint = provider()
  let i = start
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  while (performance.now() < deadline) {
    for (let k = 0; k < 100; k++) {
      const request = pool[i++] as OAuthRequest
      const result = await endpoint.validateProtectedResourceRequest(request)
      if (!result.ok) throw new Error(`verification failed: ${result.error.code}`)
    }
  }
  return [((i - start) * 1000) / (performance.now() - t0), i]
}

/**
 * The floor: the same fresh requests through `checkRequestFloor` (find the pairs, sort,
 * concatenate, one HMAC, record the nonce in a Map) with no validation at all. No
 * endpoint, ours or another, can verify and claim a nonce for less on this machine.
 */
function floor(pool: OAuthRequest[], start: number, seconds: number): number {
  const raw: RawRequest[] = []
  for (let k = start; k < Math.min(pool.length, start + 200_000); k++) {
    const request = pool[k] as OAuthRequest
    const url = request.url
    raw.push({
      method: request.method,
      url,
      query: url.slice(url.indexOf('?') + 1),
      authorization: request.headers.authorization as string,
    })
  }
  const encodedUri = escape(baseStringUri(URI))
  const key = `${escape(CLIENT_SECRET)}&${escape(TOKEN_SECRET)}`
  const nonces = new Map<string, number>()
  let i = 0
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  while (performance.now() < deadline && i + 100 <= raw.length) {
    for (let k = 0; k < 100; k++) {
      if (checkRequestFloor(raw[i++] as RawRequest, encodedUri, key, nonces) !== FLOOR_FRESH) {
        throw new Error('floor check failed')
      }
    }
  }
  return (i * 1000) / (performance.now() - t0)
}

function bareHmac(seconds: number): number {
  const baseString =
    'GET&https%3A%2F%2Fapi.example.com%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3D' +
    'clientkey0123456789abc%26oauth_nonce%3Dnonce00000000000000000001%26oauth_signature_method' +
    '%3DHMAC-SHA1%26oauth_timestamp%3D1764356000%26oauth_token%3Daccesstoken01234567890%26' +
    'oauth_version%3D1.0%26page%3D2%26size%3Doriginal%26sort%3Ddesc'
  const key = `${CLIENT_SECRET}&${TOKEN_SECRET}`
  let n = 0
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  while (performance.now() < deadline) {
    for (let k = 0; k < 1000; k++) createHmac('sha1', key).update(baseString).digest('base64')
    n += 1000
  }
  return (n * 1000) / (performance.now() - t0)
}

function oauthlib(seconds: number): { opsPerSec: number; version: string } | undefined {
  const script = fileURLToPath(new URL('../oauthlib/verify_bench.py', import.meta.url))
  const run = spawnSync(PYTHON, [script, String(seconds), '60000'], { encoding: 'utf8' })
  if (run.status !== 0) {
    console.error(`oauthlib bench did not run (${PYTHON}): ${run.stderr || run.error}`)
    return undefined
  }
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string)
  return { opsPerSec: result.ops_per_sec, version: result.version }
}

const pool = await signedPool(POOL)
const rounds: { ours: number; hmac: number; floor: number; oauthlib?: number }[] = []
let next = 0
// Interleave the three so that a burst of load on the shared machine hits all of them.
for (let round = 0; round < 3; round++) {
  const [rate, used] = await ours(pool, next, SECONDS)
  next = used
  const hmac = bareHmac(SECONDS)
  const floorRate = floor(pool, next, SECONDS)
  const py = oauthlib(SECONDS)
  rounds.push({ ours: rate, hmac, floor: floorRate, ...(py ? { oauthlib: py.opsPerSec } : {}) })
  if (next > POOL - 200_000) next = 0
}
const best = (k: 'ours' | 'hmac' | 'floor' | 'oauthlib') =>
  Math.max(...rounds.map((r) => r[k] ?? 0))
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  workload:
    'ResourceEndpoint.validateProtectedResourceRequest, MemoryStore, HMAC-SHA1, header-signed GET, fresh nonce',
  rounds,
  best: {
    ours: best('ours'),
    bareHmac: best('hmac'),
    floor: best('floor'),
    oauthlib: best('oauthlib'),
  },
  ratios: {
    oursVsOauthlib: best('oauthlib') ? best('ours') / best('oauthlib') : null,
    floorVsOauthlib: best('oauthlib') ? best('floor') / best('oauthlib') : null,
    target: 25,
    endpointCostInBareHmacs: best('hmac') / best('ours'),
  },
}
console.table(
  rounds.map((r, i) => ({
    round: i + 1,
    'ours (verif/s)': Math.round(r.ours),
    'bare HMAC (ops/s)': Math.round(r.hmac),
    'floor (checks/s)': Math.round(r.floor),
    'oauthlib (verif/s)': r.oauthlib ? Math.round(r.oauthlib) : 'n/a',
  })),
)
console.log(
  `best of 3: ours ${Math.round(summary.best.ours)}/s, oauthlib ${Math.round(summary.best.oauthlib)}/s` +
    ` -> ${summary.ratios.oursVsOauthlib?.toFixed(1) ?? 'n/a'}x (target >= 25x);` +
    ` one verification costs ${summary.ratios.endpointCostInBareHmacs.toFixed(1)} bare HMACs`,
)
console.log(
  `floor (no validation, see checkRequestFloor): ${Math.round(summary.best.floor)}/s ->` +
    ` ${summary.ratios.floorVsOauthlib?.toFixed(1) ?? 'n/a'}x oauthlib, ` +
    `${(summary.best.bareHmac / summary.best.floor).toFixed(1)} bare HMACs per check`,
)
const out = fileURLToPath(new URL('../results/', import.meta.url))
mkdirSync(out, { recursive: true })
writeFileSync(`${out}endpoint.json`, `${JSON.stringify(summary, null, 2)}\n`)
