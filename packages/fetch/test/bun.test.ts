import { join } from 'node:path'
import { describe } from 'vitest'
import { bunBinary, PACKAGE_DIR, RUNTIMES_DIR } from './helpers/paths.ts'
import { runSignedRequestSet } from './helpers/provider-suite.ts'
import { providerConfig } from './helpers/signer.ts'
import { spawnServer } from './helpers/spawn-server.ts'

// Bun (npm `bun`, pinned) serving the built dist with Bun.serve.
describe('Bun (Bun.serve, built dist)', () => {
  runSignedRequestSet(
    () =>
      spawnServer(bunBinary(), [join(RUNTIMES_DIR, 'bun-server.js'), providerConfig()], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, DO_NOT_TRACK: '1' },
      }),
    /^bun 1\.4\.5$/,
  )
})
