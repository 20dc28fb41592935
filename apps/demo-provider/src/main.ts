// `pnpm demo`: starts the demo provider from the environment (see README.md).
import { start } from './cli.js'

const log = (line: string) => process.stderr.write(`${line}\n`)

const demo = await start(process.env)
if (demo === 2) process.exit(2)

// A bug in one request must not stop the demo.
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`))
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${String(reason)}`))

let stopping = false
const stop = (signal: NodeJS.Signals) => {
  if (stopping) process.exit(1)
  stopping = true
  log(`${signal}: shutting down`)
  setTimeout(() => process.exit(1), 5000).unref()
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
