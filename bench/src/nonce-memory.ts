// MemoryStore memory with one million live nonces, and after the window has passed.
// Run with --expose-gc (the bench script does): node --expose-gc --import tsx src/nonce-memory.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MemoryStore } from '@x/oauth1-core'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')
const LIVE = Number(process.argv[2] ?? 1_000_000)
const TTL = 1200 // 2 x the default 600 s timestamp window, as createRequestValidator claims

function heapMb(): number {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

let clock = Date.UTC(2026, 10, 28) // an injected clock: the window passes instantly
const store = new MemoryStore({ now: () => clock })
const baseline = heapMb()
const timestamp = String(Math.floor(clock / 1000))
const t0 = performance.now()
for (let i = 0; i < LIVE; i++) {
  // Realistic sizes: 22-character client key, 30-character token, 32-character nonce.
  const fresh = store.claimNonce(
    {
      clientKey: `client${String(i % 1000).padStart(16, '0')}`,
      timestamp,
      nonce: `${i.toString(36).padStart(12, '0')}nonce0123456789abcde`,
      token: `token${String(i % 5000).padStart(25, '0')}`,
    },
    TTL,
  )
  if (!fresh) throw new Error('a fresh nonce was refused')
}
const claimMs = performance.now() - t0
const live = heapMb()
const liveCount = store.nonceCount
clock += (TTL + 1) * 1000
store.claimNonce({ clientKey: 'c', timestamp: String(Math.floor(clock / 1000)), nonce: 'n' }, TTL)
const after = heapMb()
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  liveNonces: liveCount,
  baselineMb: baseline,
  liveMb: live,
  addedMb: live - baseline,
  bytesPerNonce: ((live - baseline) * 1024 * 1024) / liveCount,
  afterWindowMb: after,
  afterWindowCount: store.nonceCount,
  claimsPerSecond: (LIVE * 1000) / claimMs,
  target: 'under 200 MB with 1M live nonces; back to baseline after the window',
}
console.table({
  'heap before (MB)': baseline.toFixed(1),
  [`heap with ${liveCount} live nonces (MB)`]: live.toFixed(1),
  'added per nonce (bytes)': summary.bytesPerNonce.toFixed(0),
  'heap after the window (MB)': after.toFixed(1),
  'nonces held after the window': store.nonceCount,
  'claims per second while filling': Math.round(summary.claimsPerSecond),
})
const out = fileURLToPath(new URL('../results/', import.meta.url))
mkdirSync(out, { recursive: true })
writeFileSync(`${out}nonce-memory.json`, `${JSON.stringify(summary, null, 2)}\n`)
