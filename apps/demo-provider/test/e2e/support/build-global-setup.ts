import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The e2e and browser tests start the built demo (`node dist/main.js`) as a child process,
// which resolves the workspace packages through their dist too. Build the demo and what it
// depends on when a dist is missing or older than its sources.
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))
const APP = join(ROOT, 'apps', 'demo-provider')

function newest(dir: string): number {
  if (!existsSync(dir)) return 0
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

function isStale(dir: string, entry: string): boolean {
  const built = join(dir, 'dist', entry)
  if (!existsSync(built)) return true
  const sources = Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs)
  return sources > statSync(built).mtimeMs
}

/** The workspace packages the demo runs on: `@x/oauth1-foo` lives in `packages/foo`. */
function workspaceDependencies(): string[] {
  const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  return Object.entries(manifest.dependencies ?? {})
    .filter(([, range]) => range.startsWith('workspace:'))
    .map(([name]) => join(ROOT, 'packages', name.replace(/^@x\/oauth1-/, '')))
    .filter((dir) => existsSync(join(dir, 'tsconfig.build.json')))
}

export default function setup(): void {
  const stale =
    isStale(APP, 'main.js') || workspaceDependencies().some((dir) => isStale(dir, 'index.js'))
  if (!stale) return
  execFileSync(
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@x/oauth1-demo-provider...',
      '--output-logs=errors-only',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  )
}
