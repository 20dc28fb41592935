import { type ChildProcess, spawn } from 'node:child_process'
import type { ServedApp } from './provider-suite.ts'

/**
 * Starts a runtime as a child process and waits until it prints `listening <port>` (it
 * listens on port 0, so the port is free by construction). Close sends SIGTERM, then
 * SIGKILL if the child lingers.
 */
export function spawnServer(
  command: string,
  args: readonly string[],
  options: {
    readonly cwd?: string
    readonly env?: NodeJS.ProcessEnv
    readonly timeoutMs?: number
  } = {},
): Promise<ServedApp> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer)
      stop(child)
      reject(new Error(`${command} ${args.join(' ')}: ${why}\n${output}`))
    }
    const timer = setTimeout(() => fail('not ready in time'), options.timeoutMs ?? 20_000)
    child.once('error', (error) => fail(error.message))
    child.once('exit', (code, signal) => fail(`exited early (${code ?? signal})`))
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const port = /listening (\d+)/.exec(output)?.[1]
      if (port === undefined) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ url: `http://127.0.0.1:${port}`, close: () => stop(child) })
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
