import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { beforeAll, describe, expect, it } from 'vitest'
import { PACKAGE_DIR, RUNTIMES_DIR } from './helpers/paths.ts'
import { runSignedRequestSet } from './helpers/provider-suite.ts'
import { providerConfig } from './helpers/signer.ts'

// Bundled as wrangler would (workerd/worker conditions, no "node"), so the core's `#crypto`
// import map must resolve to its WebCrypto backend; without the nodejs_compat flag a
// node:crypto import could not even load.
async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(RUNTIMES_DIR, 'worker.js')],
    absWorkingDir: PACKAGE_DIR,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text ?? ''
}

describe('workerd (miniflare, built dist bundled with workerd conditions)', () => {
  let code = ''
  beforeAll(async () => {
    code = await bundleWorker()
  })

  it('bundles the WebCrypto backend of the core, not node:crypto', () => {
    expect(code).toMatch(/name: "web"/)
    expect(code).not.toMatch(/name: "node"/)
    expect(code).not.toContain('node:crypto')
    expect(code).toContain('crypto.subtle.verify')
  })

  runSignedRequestSet(async () => {
    const mf = new Miniflare({
      modules: true,
      script: code === '' ? await bundleWorker() : code,
      compatibilityDate: '2026-04-20',
      bindings: { CONFIG: providerConfig() },
      host: '127.0.0.1',
      port: 0,
    })
    const url = await mf.ready
    return { url: url.href, close: () => mf.dispose() }
  }, /^workerd$/)
})
