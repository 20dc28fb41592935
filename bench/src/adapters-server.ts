// Child process of adapters.bench.ts: one adapter's app with two GET routes returning the
// same small JSON, `PROTECTED_PATH` behind that adapter's requireOAuth (ResourceEndpoint on
// MemoryStore, no realms) and `OPEN_PATH` without it. Argument: `koa`, `express` or `fetch`.
// Sends its port to the parent over IPC and exits when the parent says `stop`.
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  baseStringUri,
  createRequestValidator,
  escape,
  MemoryStore,
  ResourceEndpoint,
} from '@x/oauth1-core'
import { requireOAuth as expressRequireOAuth } from '@x/oauth1-express'
import { requireOAuth as fetchRequireOAuth } from '@x/oauth1-fetch'
import { requireOAuth as koaRequireOAuth } from '@x/oauth1-koa'
import express from 'express'
import Koa from 'koa'
import {
  type Adapter,
  FLOOR_BASE_STRING,
  FLOOR_KEY,
  FLOOR_PATH,
  OPEN_PATH,
  PROTECTED_PATH,
  pathname,
  VERIFY_FLOOR_PATH,
} from './adapters-workload.ts'
import { serveFetch } from './fetch-bridge.ts'
import { BENCH_CLIENT, BENCH_TOKEN } from './redis-workload.ts'
import { checkRequestFloor, FLOOR_BAD_SIGNATURE } from './workload.ts'

const RESOURCE_OWNER = 'alice'

/** The floor route's guard: one bare HMAC, its result used so that it is not optimised away. */
const bareHmac = (): boolean =>
  createHmac('sha1', FLOOR_KEY).update(FLOOR_BASE_STRING).digest('base64').length === 28
// The verify-floor route checks requests signed for the protected route, on this port.
const SIGNED_URI = escape(
  baseStringUri(`http://127.0.0.1:${process.env.BENCH_PORT}${pathname(PROTECTED_PATH)}`),
)
const SIGNED_QUERY = PROTECTED_PATH.slice(PROTECTED_PATH.indexOf('?') + 1)
const FLOOR_HMAC_KEY = `${escape(BENCH_CLIENT.secret)}&${escape(BENCH_TOKEN.secret)}`
const floorNonces = new Map<string, number>()
/** The verify-floor route's guard: `checkRequestFloor` on the Authorization header. */
const verifyFloor = (authorization: string | undefined): boolean =>
  authorization !== undefined &&
  checkRequestFloor(
    { method: 'GET', url: '', query: SIGNED_QUERY, authorization },
    SIGNED_URI,
    FLOOR_HMAC_KEY,
    floorNonces,
  ) !== FLOOR_BAD_SIGNATURE

const photos = (owner: string | undefined) => ({
  owner,
  photos: ['beach.jpg', 'hills.jpg', 'harbour.jpg'],
})

async function resourceEndpoint(): Promise<ResourceEndpoint> {
  const store = new MemoryStore()
  await store.saveClient({ clientKey: BENCH_CLIENT.key, clientSecret: BENCH_CLIENT.secret })
  await store.saveAccessToken({
    token: BENCH_TOKEN.key,
    secret: BENCH_TOKEN.secret,
    clientKey: BENCH_CLIENT.key,
    resourceOwner: RESOURCE_OWNER,
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
  return new ResourceEndpoint(validator, { onWarning: () => {} })
}

function koaApp(resource: ResourceEndpoint): Server {
  const app = new Koa()
  const guard = koaRequireOAuth(resource)
  const protectedPath = pathname(PROTECTED_PATH)
  const openPath = pathname(OPEN_PATH)
  const floorPath = pathname(FLOOR_PATH)
  const verifyFloorPath = pathname(VERIFY_FLOOR_PATH)
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET') return next()
    if (ctx.path === protectedPath) {
      // KoaContextLike is structural; called by hand (not through app.use's inference) Koa's
      // context needs the cast, its `request` type declaring no `body`.
      return guard(ctx as unknown as Parameters<typeof guard>[0], async () => {
        const state = ctx.state as { oauth1?: { resourceOwner?: string } }
        ctx.body = photos(state.oauth1?.resourceOwner)
      })
    }
    if (ctx.path === openPath) ctx.body = photos(RESOURCE_OWNER)
    else if (ctx.path === floorPath && bareHmac()) ctx.body = photos(RESOURCE_OWNER)
    else if (ctx.path === verifyFloorPath && verifyFloor(ctx.get('authorization') || undefined)) {
      ctx.body = photos(RESOURCE_OWNER)
    } else return next()
  })
  return createServer(app.callback())
}

function expressApp(resource: ResourceEndpoint): Server {
  const app = express()
  app.get(pathname(PROTECTED_PATH), expressRequireOAuth(resource), (_req, res) => {
    const oauth1 = res.locals.oauth1 as { resourceOwner?: string } | undefined
    res.json(photos(oauth1?.resourceOwner))
  })
  app.get(pathname(OPEN_PATH), (_req, res) => {
    res.json(photos(RESOURCE_OWNER))
  })
  app.get(pathname(FLOOR_PATH), (_req, res) => {
    if (bareHmac()) res.json(photos(RESOURCE_OWNER))
  })
  app.get(pathname(VERIFY_FLOOR_PATH), (req, res) => {
    if (verifyFloor(req.headers.authorization)) res.json(photos(RESOURCE_OWNER))
    else res.status(401).end()
  })
  return createServer(app)
}

function fetchApp(resource: ResourceEndpoint): Server {
  const guard = fetchRequireOAuth(resource)
  const protectedPath = pathname(PROTECTED_PATH)
  const openPath = pathname(OPEN_PATH)
  const floorPath = pathname(FLOOR_PATH)
  const verifyFloorPath = pathname(VERIFY_FLOOR_PATH)
  return serveFetch(async (request, context) => {
    const path = new URL(request.url).pathname
    if (request.method === 'GET' && path === protectedPath) {
      const result = await guard(request, context)
      if (result instanceof Response) return result
      return Response.json(photos(result.oauth1.resourceOwner))
    }
    if (request.method === 'GET' && path === openPath) {
      return Response.json(photos(RESOURCE_OWNER))
    }
    if (request.method === 'GET' && path === floorPath && bareHmac()) {
      return Response.json(photos(RESOURCE_OWNER))
    }
    if (
      request.method === 'GET' &&
      path === verifyFloorPath &&
      verifyFloor(request.headers.get('authorization') ?? undefined)
    ) {
      return Response.json(photos(RESOURCE_OWNER))
    }
    return new Response('Not Found', { status: 404 })
  })
}

const APPS: Record<Adapter, (resource: ResourceEndpoint) => Server> = {
  koa: koaApp,
  express: expressApp,
  fetch: fetchApp,
}

const adapter = process.argv[2] as Adapter
const makeApp = APPS[adapter]
if (makeApp === undefined) throw new Error(`unknown adapter ${adapter}`)
const server = makeApp(await resourceEndpoint())
server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port })
})
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpu: user + system })
    return
  }
  if (message !== 'stop') return
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
