// `pnpm demo:client`: runs the three-legged flow against a running demo (see README.md).
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { SIGNATURE_METHODS } from '@x/oauth1-core'
import { FlowError, type Placement, runFlow } from './flow.js'

const USAGE = `Usage: pnpm demo:client [options]

Runs the whole OAuth 1.0a three-legged flow against a running demo provider and prints
every step: the request, the signature base string, the signature and the response.

Options (environment variables in brackets):
  --url URL           the demo [DEMO_URL] (default http://127.0.0.1:3000)
  --key KEY           client key [DEMO_CLIENT_KEY]; without one, a client is registered
                      on the developer page first
  --secret SECRET     client secret [DEMO_CLIENT_SECRET]
  --rsa-key PATH      the client's RSA private key, PEM [DEMO_CLIENT_RSA_PRIVATE_KEY]
  --method NAME       ${SIGNATURE_METHODS.join(', ')} (default HMAC-SHA1)
  --placement WHERE   header, query or body (default header)
  --callback URI      oob (default: type the verifier in), local (a listener on
                      127.0.0.1 receives the redirect) or a URL
  --realm REALMS      realms to ask for, space-separated (default: the client's defaults)
  --login USER:PASS   non-interactive: sign in and approve through the pages [DEMO_LOGIN]
  --help              this text`

function fail(message: string, code: number): never {
  process.stderr.write(`demo-client: ${message}\n`)
  process.exit(code)
}

function placementOf(raw: string): Placement {
  const name = raw.toLowerCase()
  if (name === 'header' || name === 'auth_header') return 'header'
  if (name === 'query') return 'query'
  if (name === 'body') return 'body'
  return fail(`--placement must be header, query or body, got ${JSON.stringify(raw)}`, 2)
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        secret: { type: 'string' },
        'rsa-key': { type: 'string' },
        method: { type: 'string' },
        placement: { type: 'string' },
        callback: { type: 'string' },
        realm: { type: 'string' },
        login: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2)
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const env = process.env
  const option = (name: string, variable?: string): string | undefined => {
    const value = values[name]
    if (typeof value === 'string' && value !== '') return value
    const fromEnv = variable === undefined ? undefined : env[variable]
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
  }
  const method = (option('method') ?? 'HMAC-SHA1').toUpperCase()
  if (!(SIGNATURE_METHODS as readonly string[]).includes(method)) {
    fail(
      `--method must be one of ${SIGNATURE_METHODS.join(', ')}, got ${JSON.stringify(method)}`,
      2,
    )
  }
  const loginText = option('login', 'DEMO_LOGIN')
  let login: { user: string; password: string } | undefined
  if (loginText !== undefined) {
    const colon = loginText.indexOf(':')
    if (colon <= 0) fail('--login must be USER:PASSWORD', 2)
    login = { user: loginText.slice(0, colon), password: loginText.slice(colon + 1) }
  }
  const rsaPath = option('rsa-key', 'DEMO_CLIENT_RSA_PRIVATE_KEY')
  let rsaPrivateKey: string | undefined
  if (rsaPath !== undefined) {
    try {
      rsaPrivateKey = await readFile(rsaPath, 'utf8')
    } catch {
      fail(`cannot read the RSA private key ${rsaPath}`, 2)
    }
  }
  const rl =
    login === undefined
      ? createInterface({ input: process.stdin, output: process.stdout })
      : undefined
  try {
    await runFlow({
      baseUrl: option('url', 'DEMO_URL') ?? 'http://127.0.0.1:3000',
      clientKey: option('key', 'DEMO_CLIENT_KEY'),
      clientSecret: option('secret', 'DEMO_CLIENT_SECRET'),
      rsaPrivateKey,
      method,
      placement: placementOf(option('placement') ?? 'header'),
      callback: option('callback'),
      realm: option('realm'),
      login,
      prompt: rl === undefined ? undefined : (question) => rl.question(question),
    })
  } catch (error) {
    if (error instanceof FlowError) fail(error.message, 1)
    const cause = (error as { cause?: { code?: string } }).cause
    if (cause?.code === 'ECONNREFUSED') fail('cannot reach the demo: is it running (pnpm demo)?', 1)
    fail(error instanceof Error ? error.message : String(error), 1)
  } finally {
    rl?.close()
  }
}

await main()
