// The adapters bench must time the success path: its server answers a signed request on
// the protected route with the open route's very JSON, and refuses a replayed nonce.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { freePort } from '@x/oauth1-testkit/redis-server'
import { describe, expect, it } from 'vitest'
import {
  ADAPTERS,
  FLOOR_PATH,
  OPEN_PATH,
  PROTECTED_PATH,
  VERIFY_FLOOR_PATH,
} from '../src/adapters-workload.ts'
import { startServer } from '../src/http-load.ts'
import { signPool } from '../src/redis-workload.ts'

// The bench runs under tsx; here the forked server needs it explicitly.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

describe.each(ADAPTERS)('adapters bench server: %s', (adapter) => {
  it('serves the same JSON on both routes and accepts each nonce once', async () => {
    const port = await freePort()
    const authorization = (await signPool(port, 1))[0] as string
    const server = await startServer(
      new URL('../src/adapters-server.ts', import.meta.url),
      [adapter],
      port,
      ['--import', tsx, '--conditions=@x/source'],
    )
    try {
      const base = `http://127.0.0.1:${port}`
      const open = await fetch(base + OPEN_PATH)
      const signed = await fetch(base + PROTECTED_PATH, { headers: { authorization } })
      expect(open.status).toBe(200)
      expect(signed.status).toBe(200)
      const body = await signed.text()
      expect(body).toBe(await open.text())
      expect(JSON.parse(body)).toMatchObject({ owner: 'alice' })
      const replayed = await fetch(base + PROTECTED_PATH, { headers: { authorization } })
      expect(replayed.status).toBe(401)
      expect((await fetch(base + PROTECTED_PATH)).status).toBe(400) // parameter_absent
      // The floor routes answer the same JSON; verify-floor checks the real signature.
      expect(await (await fetch(base + FLOOR_PATH)).text()).toBe(body)
      const floor = await fetch(base + VERIFY_FLOOR_PATH, { headers: { authorization } })
      expect(await floor.text()).toBe(body)
      const forged = authorization.replace(/oauth_timestamp="(\d+)"/, 'oauth_timestamp="1$1"')
      expect(forged).not.toBe(authorization)
      const refused = await fetch(base + VERIFY_FLOOR_PATH, { headers: { authorization: forged } })
      expect(refused.status).not.toBe(200)
    } finally {
      await server.stop()
    }
  }, 30_000)
})
