// The two commands as real processes (run from source through tsx, no build needed):
// `pnpm demo` (src/main.ts) and `pnpm demo:client` (src/client.ts).
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestDemo, type TestDemo } from './support.ts'

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url))

interface Run {
  readonly child: ChildProcess
  readonly done: Promise<{ code: number | null; signal: string | null }>
  stdout(): string
  stderr(): string
}

function run(script: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@x/source', script, ...args],
    {
      cwd: APP_DIR,
      env: { ...process.env, REDIS_URL: '', DEMO_CLIENT_KEY: '', DEMO_ADAPTER: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return { child, done, stdout: () => out, stderr: () => err }
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe.concurrent('the commands', () => {
  let t: TestDemo
  beforeAll(async () => {
    t = await startTestDemo({ DEMO_CLIENT_KEY: 'cli-key', DEMO_CLIENT_SECRET: 'cli-secret' })
  })
  afterAll(() => t.close())

  it('pnpm demo: bad configuration exits with code 2 and one line', async () => {
    const demo = run('src/main.ts', [], { HOST: '127.0.0.1', PORT: 'nope' })
    const { code } = await demo.done
    expect(code).toBe(2)
    expect(demo.stderr().trim()).toBe(
      'demo-provider: PORT must be an integer from 0 to 65535, got "nope"',
    )
    expect(demo.stdout()).toBe('')
  })

  it('pnpm demo: starts, prints its URL and client, serves, and stops on SIGTERM', async () => {
    const demo = run('src/main.ts', [], { HOST: '127.0.0.1', PORT: '0', DEMO_ADAPTER: 'fetch' })
    try {
      await waitFor(() => /listening on (http:\/\/\S+)/.test(demo.stdout()), 'the banner')
      const url = /listening on (http:\/\/\S+)/.exec(demo.stdout())?.[1] as string
      expect(demo.stdout()).toMatch(/client key: {5}[A-Za-z0-9]{24}\n/)
      expect(demo.stdout()).toMatch(/client secret: {2}[A-Za-z0-9]{32}\n/)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      demo.child.kill('SIGTERM')
      expect((await demo.done).code).toBe(0)
    } finally {
      demo.child.kill('SIGKILL')
    }
  })

  it('pnpm demo:client --login runs the flow and prints every step', async () => {
    const client = run(
      'src/client.ts',
      ['--login', 'alice:wonderland', '--method', 'HMAC-SHA256', '--placement', 'query'],
      { DEMO_URL: t.url, DEMO_CLIENT_KEY: 'cli-key', DEMO_CLIENT_SECRET: 'cli-secret' },
    )
    const { code } = await client.done
    const out = client.stdout()
    expect(code, client.stderr()).toBe(0)
    expect(out).toContain('# Request temporary credentials (HMAC-SHA256, query)')
    expect(out).toContain('base string: POST&http%3A%2F%2F127.0.0.1')
    expect(out).toMatch(/signature: {3}\S+=/)
    expect(out).toContain('← 200 {"user":"alice","client":"cli-key","realms":["profile","echo"]}')
    expect(out).toContain('Done: the three-legged flow completed with HMAC-SHA256 in the query.')
  })

  it('pnpm demo:client: interactive, it prints the authorize URL and reads the verifier', async () => {
    const client = run('src/client.ts', [], {
      DEMO_URL: t.url,
      DEMO_CLIENT_KEY: 'cli-key',
      DEMO_CLIENT_SECRET: 'cli-secret',
    })
    await waitFor(() => client.stdout().includes('Verifier shown after approval'), 'the prompt')
    expect(client.stdout()).toMatch(
      /\n {2}http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?oauth_token=\w+\n/,
    )
    client.child.stdin?.end('wrong-verifier\n')
    const { code } = await client.done
    expect(code).toBe(1)
    expect(client.stderr()).toContain('access token failed (401)')
  })

  it('pnpm demo:client: bad usage exits with code 2', async () => {
    const client = run('src/client.ts', ['--placement', 'sideways'], { DEMO_URL: t.url })
    expect((await client.done).code).toBe(2)
    expect(client.stderr()).toContain('--placement must be header, query or body')
  })
})
