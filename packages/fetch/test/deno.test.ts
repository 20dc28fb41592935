import { join } from 'node:path'
import { describe } from 'vitest'
import { denoBinary, PACKAGE_DIR, RUNTIMES_DIR } from './helpers/paths.ts'
import { runSignedRequestSet } from './helpers/provider-suite.ts'
import { providerConfig } from './helpers/signer.ts'
import { spawnServer } from './helpers/spawn-server.ts'

// Deno (npm `deno`, pinned) serving the built dist with Deno.serve. Modules resolve through
// the package's node_modules (Deno's own package.json support): nothing is downloaded.
describe('Deno (Deno.serve, built dist)', () => {
  runSignedRequestSet(
    () =>
      spawnServer(
        denoBinary(),
        [
          'run',
          '--allow-net',
          '--allow-read',
          join(RUNTIMES_DIR, 'deno-server.js'),
          providerConfig(),
        ],
        {
          cwd: PACKAGE_DIR,
          env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' },
        },
      ),
    /^deno 2\.9\.6$/,
  )
})
