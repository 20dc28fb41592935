import { type RunningDemo, startDemo } from './app.js'
import { ConfigError, loadConfig } from './config.js'

/** Where the command line writes. */
export interface Output {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}

/** What `pnpm demo` prints once it listens: the URL first, then how to use it. */
export function banner(demo: RunningDemo, passwordFromEnv: boolean): string {
  const { config, client } = demo
  const transport = config.loopback
    ? 'plain HTTP and PLAINTEXT accepted (loopback)'
    : 'TLS required (not loopback: put a TLS proxy in front and set DEMO_PUBLIC_URL)'
  const secret = client.generated
    ? client.secret
    : client.secret === undefined
      ? '(none: RSA only)'
      : '(from DEMO_CLIENT_SECRET)'
  const lines = [
    `oauth1 demo provider listening on ${demo.url}`,
    `  adapter:        ${config.adapter}`,
    `  state:          ${config.redisUrl === undefined ? 'memory' : `redis (key prefix ${config.redisPrefix})`}`,
    `  transport:      ${transport}`,
    `  resource owner: ${config.user} / ${passwordFromEnv ? '(from DEMO_PASSWORD)' : config.password}`,
    `  client key:     ${client.key}`,
    `  client secret:  ${secret}`,
    `  client RSA key: ${client.rsaPublicKey === undefined ? 'none' : 'yes (RSA-SHA1/256/512)'}`,
    `  callback:       ${client.callback ?? 'any (or oob)'}`,
    `  pages:          ${demo.url}/ (home), ${demo.url}/developer, ${demo.url}/account/tokens`,
  ]
  if (client.generated) {
    lines.push(
      `  try it:         pnpm demo:client --url ${demo.url} --key ${client.key} --secret ${client.secret} --login ${config.user}:${passwordFromEnv ? '<password>' : config.password}`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Starts the demo from an environment and prints the banner: the running demo, or the
 * exit code (2) after a one-line message when the configuration is unusable.
 */
export async function start(
  env: Readonly<Record<string, string | undefined>>,
  output: Output = processOutput,
): Promise<RunningDemo | 2> {
  const log = (line: string) => output.err(`${line}\n`)
  try {
    const demo = await startDemo(await loadConfig(env), { log })
    output.out(banner(demo, env.DEMO_PASSWORD !== undefined))
    return demo
  } catch (error) {
    if (error instanceof ConfigError) {
      output.err(`demo-provider: ${error.message}\n`)
      return 2
    }
    throw error
  }
}
