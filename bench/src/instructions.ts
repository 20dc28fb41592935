// Instructions per call of the full verification, the bare HMAC and the floor, counted
// by callgrind: unlike time, the count does not move with what else the machine runs
// (repeat runs agree within about 1 %), so it shows small changes that timing on a
// shared machine cannot. It is a diagnostic: the targets are in time (`pnpm bench`).
//
// Each variant runs twice under `valgrind --tool=callgrind`, N1 and N2 calls, and the
// difference divided by N2 - N1 is the cost of one call, start-up and compilation
// cancelled out. V8 compiles on the main thread (--no-concurrent-recompilation), so that
// the optimised code is in place at the same point of both runs.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const N1 = 10_000
const N2 = 30_000
const runner = fileURLToPath(new URL('./instructions-runner.ts', import.meta.url))

async function instructions(variant: string, calls: number): Promise<number> {
  const { stderr } = await run(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--no-concurrent-recompilation',
      '--import',
      'tsx',
      runner,
      variant,
      String(calls),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  )
  const match = /Collected : (\d+)/.exec(stderr)
  if (match === null) throw new Error(`callgrind printed no count for ${variant}:\n${stderr}`)
  return Number(match[1])
}

async function perCall(variant: string): Promise<number> {
  const [a, b] = await Promise.all([instructions(variant, N1), instructions(variant, N2)])
  return (b - a) / (N2 - N1)
}

try {
  await run('valgrind', ['--version'])
} catch {
  console.error('valgrind is not installed: apt-get install -y valgrind')
  process.exit(1)
}
// Once outside callgrind: tsx compiles and caches the TypeScript, so that both counted
// runs find it cached.
for (const variant of ['full', 'bare', 'floor']) {
  await run(process.execPath, ['--import', 'tsx', runner, variant, '1'])
}
const started = performance.now()
const full = await perCall('full')
const bare = await perCall('bare')
const floor = await perCall('floor')
const row = (name: string, value: number): string =>
  `  ${name.padEnd(44)}${Math.round(value).toLocaleString('en-US').padStart(10)}`
console.log('instructions per call (callgrind)')
console.log(row('full verification, HMAC-SHA1 GET, 10 params', full))
console.log(row('bare createHmac(sha1).digest(base64)', bare))
console.log(row('floor: unvalidated indexOf/slice verifier', floor))
console.log(
  `  full / bare  ${(full / bare).toFixed(2)}x   floor / bare  ${(floor / bare).toFixed(2)}x`,
)
console.log(`\nnode ${process.version}; ${((performance.now() - started) / 1000).toFixed(0)} s`)
