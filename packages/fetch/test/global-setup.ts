import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The runtime tests run the built dist (Bun, Deno, workerd and a child Node do not know the
// "@x/source" condition). Build core and fetch when a dist is missing or older than its src.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

function isStale(pkg: string): boolean {
  const built = join(ROOT, 'packages', pkg, 'dist', 'index.js')
  if (!existsSync(built)) return true
  const sources = Math.max(
    newest(join(ROOT, 'packages', pkg, 'src')),
    statSync(join(ROOT, 'packages', pkg, 'package.json')).mtimeMs,
  )
  return sources > statSync(built).mtimeMs
}

export default function setup(): void {
  if (!isStale('core') && !isStale('fetch')) return
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@x/oauth1-fetch'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}
