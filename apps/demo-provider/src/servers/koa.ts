import type { RequestListener } from 'node:http'
import Router, { type RouterMiddleware } from '@koa/router'
import type { AuthorizedResourceRequest, VerifiedRequest } from '@x/oauth1-core'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  type KoaContextLike,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
  toOAuthRequest,
} from '@x/oauth1-koa'
import Koa from 'koa'
import type { DemoProvider, Route } from '../provider.js'
import { failure, type Log } from './common.js'

type Middleware = (ctx: Koa.Context, next: Koa.Next) => Promise<unknown>

function middlewares(provider: DemoProvider, route: Route): Middleware[] {
  const opts = provider.adapterOptions
  switch (route.type) {
    case 'token':
      return [handler((req) => route.endpoint(req), opts)]
    case 'page':
      return [
        async (ctx) => sendOAuthResponse(ctx, await route.handle(await toOAuthRequest(ctx, opts))),
      ]
    case 'protected':
      return [
        requireOAuth(provider.server, opts),
        async (ctx) =>
          sendOAuthResponse(ctx, route.respond(ctx.state.oauth1 as AuthorizedResourceRequest)),
      ]
    case 'signed':
      return [
        requireSignature(provider.server, opts),
        async (ctx) => sendOAuthResponse(ctx, route.respond(ctx.state.oauth1 as VerifiedRequest)),
      ]
    case 'consent':
      return [
        async (ctx) => {
          const gate = await provider.signedIn(await toOAuthRequest(ctx, opts))
          if (!gate.ok) return sendOAuthResponse(ctx, gate.response)
          const details = await authorizationDetails(provider.server, ctx, opts)
          sendOAuthResponse(
            ctx,
            details.ok ? await provider.consentPage(gate.value, details) : details.response,
          )
        },
      ]
    case 'decision':
      return [
        async (ctx) => {
          const gate = await provider.decision(await toOAuthRequest(ctx, opts))
          if (!gate.ok) return sendOAuthResponse(ctx, gate.response)
          await completeAuthorization(provider.authorization, ctx, gate.value, opts)
        },
      ]
  }
}

/** The demo on Koa and @koa/router. */
export function koaListener(provider: DemoProvider, log: Log): RequestListener {
  const app = new Koa()
  app.silent = true
  const router = new Router()
  for (const route of provider.routes) {
    const chain = middlewares(provider, route) as RouterMiddleware[]
    if (route.method === 'GET') router.get(route.path, ...chain)
    else router.post(route.path, ...chain)
  }
  app.use(async (ctx, next) => {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined) {
        const req = await toOAuthRequest(ctx as KoaContextLike, provider.adapterOptions)
        sendOAuthResponse(ctx, await provider.fallback(req))
      }
    } catch (error) {
      sendOAuthResponse(ctx, failure(error, log))
    }
  })
  app.use(router.routes())
  return app.callback()
}
