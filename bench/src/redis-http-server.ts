// Child process of redis.bench.ts: a Koa app whose one route is guarded by requireOAuth,
// on MemoryStore or RedisStore. Argument: `memory`, or `redis <url> <prefix> <autopipelining 0|1>`.
// Sends its port to the parent over IPC and exits when the parent says `stop`.
import type { AddressInfo } from 'node:net'
import {
  type ClientAdminStore,
  createRequestValidator,
  MemoryStore,
  type NonceStore,
  ResourceEndpoint,
  type TokenStore,
} from '@x/oauth1-core'
import { requireOAuth } from '@x/oauth1-koa'
import { RedisStore } from '@x/oauth1-redis-validator'
import { Redis } from 'ioredis'
import Koa from 'koa'
import { BENCH_CLIENT, BENCH_TOKEN } from './redis-workload.ts'

type Store = ClientAdminStore & NonceStore & TokenStore

const [kind, url, prefix, autoPipelining] = process.argv.slice(2)
let redis: Redis | undefined
let store: Store
if (kind === 'redis') {
  redis = new Redis(url as string, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: autoPipelining === '1',
  })
  redis.on('error', (error) => console.error('redis:', error.message))
  await redis.connect()
  store = new RedisStore(redis, { keyPrefix: prefix })
} else {
  store = new MemoryStore()
}
await store.saveClient({ clientKey: BENCH_CLIENT.key, clientSecret: BENCH_CLIENT.secret })
await store.saveAccessToken({
  token: BENCH_TOKEN.key,
  secret: BENCH_TOKEN.secret,
  clientKey: BENCH_CLIENT.key,
  resourceOwner: 'alice',
  realms: [],
  createdAt: Date.now(),
})

const validator = createRequestValidator({
  clients: store,
  nonces: store,
  tokens: store,
  allowInsecureLoopback: true,
  onWarning: () => {},
})
const resource = new ResourceEndpoint(validator, { onWarning: () => {} })
const app = new Koa()
app.use(requireOAuth(resource))
app.use((ctx) => {
  const state = ctx.state as { oauth1?: { resourceOwner?: string } }
  ctx.body = `photos of ${state.oauth1?.resourceOwner}`
})

const server = app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port })
})
process.on('message', (message) => {
  if (message !== 'stop') return
  server.close()
  server.closeAllConnections()
  redis?.disconnect()
  process.exit(0)
})
