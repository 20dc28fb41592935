import { join } from 'node:path'
import { describe } from 'vitest'
import { PACKAGE_DIR, RUNTIMES_DIR } from './helpers/paths.ts'
import { runSignedRequestSet } from './helpers/provider-suite.ts'
import { providerConfig } from './helpers/signer.ts'
import { spawnServer } from './helpers/spawn-server.ts'

// A child Node process serving the built dist through node:http (Node 20 has no fetch server).
describe(`Node ${process.version} (child process, built dist, node:http bridge)`, () => {
  runSignedRequestSet(
    () =>
      spawnServer(process.execPath, [join(RUNTIMES_DIR, 'node-server.js'), providerConfig()], {
        cwd: PACKAGE_DIR,
      }),
    /^node 20\./,
  )
})
