// Runs one benchmark function N times, for bench/src/instructions.ts to count under
// callgrind: `node --import tsx instructions-runner.ts <variant> <N>`. Checks first that
// the function does what it claims (a verification that fails would be cheaper).
import { createHmac } from 'node:crypto'
import { baseStringUri } from '@x/oauth1-core'
import { buildSignedRequest, verifyRequest, verifyRequestFloor } from './workload.ts'

const [variant = '', count = '0'] = process.argv.slice(2)
// The signed request only: generating an RSA key takes a different number of
// instructions each time.
const w = await buildSignedRequest()
const encodedUri = encodeURIComponent(baseStringUri(w.request.url))
const expected = createHmac('sha1', w.hmacKey).update(w.baseString).digest('base64')

const variants: Record<string, () => unknown> = {
  full: () => verifyRequest(w.request, w.secrets),
  bare: () => createHmac('sha1', w.hmacKey).update(w.baseString).digest('base64'),
  floor: () => verifyRequestFloor(w.request, encodedUri, w.hmacKey),
}
const run = variants[variant]
if (run === undefined) throw new Error(`unknown variant ${variant}`)
const first = await run()
if (first !== true && first !== expected) throw new Error(`${variant} does not verify`)
const n = Number(count)
for (let i = 0; i < n; i++) {
  const result = run()
  if (result instanceof Promise) await result
}
