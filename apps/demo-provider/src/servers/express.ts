import type { RequestListener } from 'node:http'
import type { AuthorizedResourceRequest, VerifiedRequest } from '@x/oauth1-core'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
  toOAuthRequest,
} from '@x/oauth1-express'
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express'
import type { DemoProvider, Route } from '../provider.js'
import { failure, type Log } from './common.js'

/** An async route body; what it throws goes to the error handler. */
function route(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    run(req, res).catch(next)
  }
}

function handlers(provider: DemoProvider, r: Route): RequestHandler[] {
  const opts = provider.adapterOptions
  switch (r.type) {
    case 'token':
      return [handler((req) => r.endpoint(req), opts) as RequestHandler]
    case 'page':
      return [
        route(async (req, res) =>
          sendOAuthResponse(res, await r.handle(await toOAuthRequest(req, opts))),
        ),
      ]
    case 'protected':
      return [
        requireOAuth(provider.server, opts) as RequestHandler,
        route(async (_req, res) =>
          sendOAuthResponse(res, r.respond(res.locals.oauth1 as AuthorizedResourceRequest)),
        ),
      ]
    case 'signed':
      return [
        requireSignature(provider.server, opts) as RequestHandler,
        route(async (_req, res) =>
          sendOAuthResponse(res, r.respond(res.locals.oauth1 as VerifiedRequest)),
        ),
      ]
    case 'consent':
      return [
        route(async (req, res) => {
          const gate = await provider.signedIn(await toOAuthRequest(req, opts))
          if (!gate.ok) return sendOAuthResponse(res, gate.response)
          const details = await authorizationDetails(provider.server, req, opts)
          sendOAuthResponse(
            res,
            details.ok ? await provider.consentPage(gate.value, details) : details.response,
          )
        }),
      ]
    case 'decision':
      return [
        route(async (req, res) => {
          const gate = await provider.decision(await toOAuthRequest(req, opts))
          if (!gate.ok) return sendOAuthResponse(res, gate.response)
          await completeAuthorization(provider.authorization, req, res, gate.value, opts)
        }),
      ]
  }
}

/** The demo on Express 5. */
export function expressListener(provider: DemoProvider, log: Log): RequestListener {
  const app = express()
  app.set('env', 'production')
  app.set('x-powered-by', false)
  app.set('etag', false)
  for (const r of provider.routes) {
    if (r.method === 'GET') app.get(r.path, ...handlers(provider, r))
    else app.post(r.path, ...handlers(provider, r))
  }
  app.use(
    route(async (req, res) => {
      sendOAuthResponse(
        res,
        await provider.fallback(await toOAuthRequest(req, provider.adapterOptions)),
      )
    }),
  )
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy()
      return
    }
    sendOAuthResponse(res, failure(error, log))
  })
  return app as unknown as RequestListener
}
