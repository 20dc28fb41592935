import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

/** packages/fetch */
export const PACKAGE_DIR: string = fileURLToPath(new URL('../../', import.meta.url))
/** packages/fetch/test/runtimes */
export const RUNTIMES_DIR: string = join(PACKAGE_DIR, 'test', 'runtimes')

/** The Bun binary of the npm `bun` package (its postinstall puts it in place). */
export function bunBinary(): string {
  return join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
}

/**
 * The Deno binary of the npm `deno` package: its own installer API links it from the
 * platform package (no download), as its `bin.cjs` does on first run.
 */
export function denoBinary(): string {
  const api = require('deno/install_api.cjs') as { runInstall(): string }
  return api.runInstall()
}
