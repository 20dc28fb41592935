import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { DemoClient } from './credentials.ts'

/** Debian's Python, which has python3-oauthlib and python3-requests-oauthlib (not pyenv's). */
export const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('../python/requests_oauthlib_client.py', import.meta.url))

export type Placement = 'AUTH_HEADER' | 'QUERY' | 'BODY'
export const PLACEMENTS: readonly Placement[] = ['AUTH_HEADER', 'QUERY', 'BODY']
export const METHODS = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'HMAC-SHA512',
  'RSA-SHA1',
  'RSA-SHA256',
  'RSA-SHA512',
  'PLAINTEXT',
] as const
export type Method = (typeof METHODS)[number]

/** One response as the Python client saw it. */
export interface Observed {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly contentType: string
  readonly location: string | null
  readonly wwwAuthenticate: string | null
  readonly setCookie: string[]
  readonly body: string
  readonly json?: Record<string, unknown>
  readonly form?: Record<string, string>
  readonly page?: {
    readonly hidden: Record<string, string>
    readonly decisions: string[]
    readonly verifier: string | null
  }
}

/** A task's steps by name, or the Python traceback of what went wrong. */
export type Steps = Record<string, unknown> & { readonly error?: string }

export interface PythonResult {
  readonly flow?: Steps
  readonly deny?: Steps
  readonly oob?: Steps
  readonly login?: Steps
  readonly cells: { method: Method; placement: Placement; steps: Steps }[]
}

export interface PythonJob {
  readonly base: string
  readonly client: DemoClient
  readonly user: string
  readonly password: string
  /** Run the OAuth1Session flow, the denial and the oob flow. */
  readonly flow: boolean
  readonly cells: readonly { method: Method; placement: Placement }[]
}

/** Runs the requests-oauthlib client on `job` and returns what it observed. */
export function runPythonClient(job: PythonJob): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy']) {
      delete env[name]
    }
    env.NO_PROXY = '127.0.0.1,localhost'
    const child = spawn(PYTHON, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${PYTHON} ${SCRIPT} exited with ${code}:\n${stderr}`))
        return
      }
      try {
        resolve(JSON.parse(stdout) as PythonResult)
      } catch (error) {
        reject(new Error(`unreadable output (${(error as Error).message}):\n${stdout}\n${stderr}`))
      }
    })
    child.stdin.end(
      JSON.stringify({
        base: job.base,
        client: {
          key: job.client.key,
          secret: job.client.secret,
          callback: job.client.callback,
          privateKeyPath: job.client.privateKeyPath,
        },
        user: job.user,
        password: job.password,
        flow: job.flow,
        cells: job.cells,
      }),
    )
  })
}
