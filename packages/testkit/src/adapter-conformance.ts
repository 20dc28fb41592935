/**
 * The adapter conformance suite: one set of tests that every `@x/oauth1-*` adapter runs
 * against a real server on a real socket (DESIGN.md, "Adapters" and "Testing").
 *
 * ## Contract
 *
 * `runAdapterConformance(name, makeServer)` registers vitest suites. It calls
 * `makeServer(options)` (twice: once with `trustProxy: false`, once with `true`) and
 * expects a provider built with the adapter under test, listening on `127.0.0.1:0` with
 * `node:http` (or the runtime's own server), on:
 *
 * - the core's `WebApplicationServer`, on `createRequestValidator({ clients, nonces: store,
 *   tokens: store, allowInsecureLoopback: true })` with a `MemoryStore` (`store`);
 * - every client of `options.clients` saved in the store (`store.saveClient(client)`: the
 *   objects are `ClientRecord`s);
 * - a `clients` store whose `getClient(options.unavailableClientKey)` throws the core's
 *   `StoreUnavailableError` (the suite expects 503) and whose
 *   `getClient(options.failingClientKey)` throws a plain `Error` (the suite expects the
 *   framework's own 500, and the server to keep serving); any other key is `store.getClient`;
 * - the adapter given `trustProxy`, `bodyLimit` and `onWarning` from `options` on every
 *   route. An adapter that finds the body already parsed warns once, with the code
 *   `body-already-parsed`, through that `onWarning`.
 *
 * Routes (JSON bodies are `application/json`; `undefined` fields are sent as `null`):
 *
 * | route | what |
 * | --- | --- |
 * | `POST /oauth/request_token` | token endpoint (`createRequestTokenResponse`) |
 * | `GET /oauth/authorize` | with `approve=1`: approve as `alice`; with `deny=1`: deny; else 200 JSON `{ token, realms, clientKey }` from the authorization details, or the rejection's response |
 * | `POST /oauth/authorize` | form `oauth_token`, `decision=approve` (as `alice`) or `decision=deny` |
 * | `POST /oauth/access_token` | token endpoint (`createAccessTokenResponse`) |
 * | `ALL /api/me` | three-legged, realms `['profile']`; GET: 200 JSON `{ clientKey, resourceOwner, realms }`; OPTIONS (CORS preflight, never signed) must pass through the adapter untouched, and a signed HEAD must pass the guard; the app answers both with 204 and header `x-passthrough: 1` |
 * | `POST /api/echo` | three-legged, realms `['profile']`; 200 JSON `{ clientKey, resourceOwner, body }`, `body` being the raw body the adapter read (`oauth1.request.body`), or `null` |
 * | `GET /api/admin` | three-legged, realms `['admin']`; 200 JSON `{ clientKey }` |
 * | `GET`, `POST /api/ping` | two-legged (signature only); 200 JSON `{ clientKey, token }` |
 * | `POST /parsed/echo` | the framework's usual urlencoded body parser (flat mode) mounted before the two-legged adapter; 200 JSON `{ clientKey, body }` |
 *
 * `close()` must resolve even with idle keep-alive connections open
 * (`server.closeAllConnections()`).
 *
 * The suite signs with npm `oauth-1.0a` and node:crypto, and runs npm `oauth`
 * (node-oauth) through the whole flow: it imports nothing from the core.
 *
 * @example
 * ```ts
 * runAdapterConformance('koa', async (options) => {
 *   const store = new MemoryStore()
 *   for (const client of options.clients) store.saveClient(client)
 *   const clients = {
 *     getClient(key: string) {
 *       if (key === options.unavailableClientKey) throw new StoreUnavailableError('down')
 *       if (key === options.failingClientKey) throw new Error('validator bug')
 *       return store.getClient(key)
 *     },
 *   }
 *   const server = new WebApplicationServer(
 *     createRequestValidator({ clients, nonces: store, tokens: store, allowInsecureLoopback: true }),
 *   )
 *   const app = buildApp(server, options) // the routes above
 *   return listen(app) // { baseUrl: 'http://127.0.0.1:PORT', close }
 * })
 * ```
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { OAuth as NodeOAuth } from 'oauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCertificateKeyPem, testCertificatePem } from './fixtures.js'
import { type HttpResult, httpRequest, sendAndDisconnect } from './http-client.js'
import {
  type SignedRequest,
  type SignerClient,
  type SignerToken,
  type SignInput,
  signRequest,
} from './oauth1a-signer.js'

/** A warning as adapters emit them. */
export interface ConformanceWarning {
  readonly code: string
  readonly message: string
}

/** A client to register: a `ClientRecord` of the core. */
export interface ConformanceClientRecord {
  readonly clientKey: string
  readonly clientSecret?: string
  readonly rsaPublicKey?: string
  readonly defaultRealms?: readonly string[]
  readonly allowedRealms?: readonly string[]
}

/** What the suite asks of a server. */
export interface ConformanceServerOptions {
  /** Give to the adapter. */
  readonly trustProxy: boolean
  /** Give to the adapter (bytes). */
  readonly bodyLimit: number
  /** Give to the adapter. */
  readonly onWarning: (warning: ConformanceWarning) => void
  /** Save each in the `MemoryStore`. */
  readonly clients: readonly ConformanceClientRecord[]
  /** `getClient` of this key throws `StoreUnavailableError`. */
  readonly unavailableClientKey: string
  /** `getClient` of this key throws a plain `Error`. */
  readonly failingClientKey: string
}

/** A running server. */
export interface ConformanceServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string
  close(): Promise<void>
}

/** Builds and starts a provider with the adapter under test. */
export type MakeConformanceServer = (
  options: ConformanceServerOptions,
) => Promise<ConformanceServer>

/** The warning code an adapter uses when a body parser consumed the body before it. */
export const BODY_ALREADY_PARSED = 'body-already-parsed'

/** The clients the suite signs with; their records are in `options.clients`. */
export const CONFORMANCE_CLIENTS: {
  readonly hmac: { readonly key: string; readonly secret: string }
  readonly rsa: { readonly key: string; readonly privateKeyPem: string }
} = {
  hmac: { key: 'conformance-hmac', secret: 'hmac secret&/=+' },
  rsa: {
    key: 'conformance-rsa',
    get privateKeyPem() {
      return testCertificateKeyPem()
    },
  },
}

const CALLBACK = 'http://client.example/callback?state=s1'
const BODY_LIMIT = 64 * 1024
const UNAVAILABLE = 'conformance-store-down'
const FAILING = 'conformance-validator-bug'
const FORM = 'application/x-www-form-urlencoded'

function clientRecords(): ConformanceClientRecord[] {
  return [
    {
      clientKey: CONFORMANCE_CLIENTS.hmac.key,
      clientSecret: CONFORMANCE_CLIENTS.hmac.secret,
      defaultRealms: ['profile'],
      allowedRealms: ['profile', 'photos'],
    },
    {
      clientKey: CONFORMANCE_CLIENTS.rsa.key,
      rsaPublicKey: testCertificatePem(),
      defaultRealms: ['profile'],
    },
  ]
}

function form(res: HttpResult): URLSearchParams {
  return new URLSearchParams(res.body)
}

function json(res: HttpResult): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  return JSON.parse(res.body) as Record<string, unknown>
}

function send(signed: SignedRequest, extraHeaders: Record<string, string> = {}, to?: string) {
  return httpRequest(to ?? signed.url, {
    method: signed.method,
    headers: { ...signed.headers, ...extraHeaders },
    body: signed.body,
  })
}

/** Asserts an OAuth error response: status, `oauth_problem`, challenge on 401. */
function expectProblem(res: HttpResult, status: number, problem: string): URLSearchParams {
  expect({ status: res.status, body: res.body }).toMatchObject({ status })
  expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
  const params = form(res)
  expect(params.get('oauth_problem')).toBe(problem)
  if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^OAuth realm="/)
  else expect(res.headers['www-authenticate']).toBeUndefined()
  return params
}

function nonce(): string {
  return randomBytes(12).toString('hex')
}

function nodeOAuthCall<T extends unknown[]>(
  run: (callback: (err: unknown, ...rest: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    run((err, ...rest) => {
      if (err) reject(new Error(`node-oauth: ${JSON.stringify(err)}`))
      else resolve(rest)
    })
  })
}

/**
 * Registers the conformance suite for one adapter (see the module documentation for the
 * `makeServer` contract).
 *
 * @param name - The adapter's name, shown in test titles.
 * @param makeServer - Builds and starts a provider with the adapter.
 */
export function runAdapterConformance(name: string, makeServer: MakeConformanceServer): void {
  describe(`${name} adapter conformance`, () => {
    let direct: ConformanceServer
    let proxied: ConformanceServer
    const warnings: ConformanceWarning[] = []
    const proxiedWarnings: ConformanceWarning[] = []
    const base = () => direct.baseUrl
    const hmac: SignerClient = CONFORMANCE_CLIENTS.hmac
    const rsa: SignerClient = {
      key: CONFORMANCE_CLIENTS.rsa.key,
      privateKeyPem: CONFORMANCE_CLIENTS.rsa.privateKeyPem,
    }

    beforeAll(async () => {
      const options = (trustProxy: boolean, sink: ConformanceWarning[]) => ({
        trustProxy,
        bodyLimit: BODY_LIMIT,
        onWarning: (warning: ConformanceWarning) => {
          sink.push(warning)
        },
        clients: clientRecords(),
        unavailableClientKey: UNAVAILABLE,
        failingClientKey: FAILING,
      })
      direct = await makeServer(options(false, warnings))
      proxied = await makeServer(options(true, proxiedWarnings))
      expect(direct.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(proxied.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    })

    afterAll(async () => {
      await direct?.close()
      await proxied?.close()
    })

    const sign = (
      input: Omit<SignInput, 'url' | 'client'> & { path: string; client?: SignerClient },
    ) => signRequest({ client: hmac, ...input, url: `${base()}${input.path}` })

    async function requestToken(
      client: SignerClient,
      extra: Partial<SignInput> = {},
      callback = CALLBACK,
    ): Promise<SignerToken> {
      const res = await send(
        sign({
          method: 'POST',
          path: '/oauth/request_token',
          client,
          oauth: { oauth_callback: callback },
          ...extra,
        }),
      )
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 })
      expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
      expect(res.headers['cache-control']).toBe('no-store')
      const params = form(res)
      expect(params.get('oauth_callback_confirmed')).toBe('true')
      return {
        key: params.get('oauth_token') ?? '',
        secret: params.get('oauth_token_secret') ?? '',
      }
    }

    async function approve(token: SignerToken): Promise<string> {
      const res = await httpRequest(
        `${base()}/oauth/authorize?oauth_token=${encodeURIComponent(token.key)}&approve=1`,
      )
      expect(res.status).toBe(302)
      const location = new URL(String(res.headers.location))
      expect(`${location.origin}${location.pathname}`).toBe('http://client.example/callback')
      expect(location.searchParams.get('state')).toBe('s1')
      expect(location.searchParams.get('oauth_token')).toBe(token.key)
      return location.searchParams.get('oauth_verifier') ?? ''
    }

    async function accessToken(
      client: SignerClient,
      token: SignerToken,
      verifier: string,
      extra: Partial<SignInput> = {},
    ): Promise<HttpResult> {
      return send(
        sign({
          method: 'POST',
          path: '/oauth/access_token',
          client,
          token,
          oauth: { oauth_verifier: verifier },
          ...extra,
        }),
      )
    }

    async function fullFlow(client: SignerClient): Promise<SignerToken> {
      const temporary = await requestToken(client)
      const verifier = await approve(temporary)
      const res = await accessToken(client, temporary, verifier)
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 })
      const params = form(res)
      expect(params.get('oauth_authorized_realms')).toBe('profile')
      return {
        key: params.get('oauth_token') ?? '',
        secret: params.get('oauth_token_secret') ?? '',
      }
    }

    let hmacAccess: SignerToken
    const access = async (): Promise<SignerToken> => {
      hmacAccess ??= await fullFlow(hmac)
      return hmacAccess
    }

    describe('three-legged flow', () => {
      it('HMAC-SHA1 in the header: request token, approval, access token, /api/me', async () => {
        const token = await access()
        const res = await send(sign({ method: 'GET', path: '/api/me', token }))
        expect(res.status).toBe(200)
        expect(json(res)).toEqual({
          clientKey: hmac.key,
          resourceOwner: 'alice',
          realms: ['profile'],
        })
      })

      it('RSA-SHA1, with the consent page and a form POST approval', async () => {
        const temporary = await requestToken(rsa)
        const consent = await httpRequest(
          `${base()}/oauth/authorize?oauth_token=${encodeURIComponent(temporary.key)}`,
        )
        expect(consent.status).toBe(200)
        expect(json(consent)).toMatchObject({
          token: temporary.key,
          realms: ['profile'],
          clientKey: rsa.key,
        })
        const decided = await httpRequest(`${base()}/oauth/authorize`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: `oauth_token=${encodeURIComponent(temporary.key)}&decision=approve`,
        })
        expect(decided.status).toBe(302)
        const verifier = new URL(String(decided.headers.location)).searchParams.get(
          'oauth_verifier',
        )
        const res = await accessToken(rsa, temporary, verifier ?? '')
        expect(res.status).toBe(200)
        const params = form(res)
        const token = {
          key: params.get('oauth_token') ?? '',
          secret: params.get('oauth_token_secret') ?? '',
        }
        const me = await send(sign({ method: 'GET', path: '/api/me', client: rsa, token }))
        expect(me.status).toBe(200)
        expect(json(me)).toMatchObject({ clientKey: rsa.key, resourceOwner: 'alice' })
      })

      it('protocol parameters in the body and in the query', async () => {
        const temporary = await requestToken(hmac, { placement: 'body' })
        const verifier = await approve(temporary)
        const res = await accessToken(hmac, temporary, verifier, { placement: 'query' })
        expect(res.status).toBe(200)
        const params = form(res)
        const token = {
          key: params.get('oauth_token') ?? '',
          secret: params.get('oauth_token_secret') ?? '',
        }
        const me = await send(
          sign({ method: 'GET', path: '/api/me?fields=name%20email', token, placement: 'query' }),
        )
        expect(me.status).toBe(200)
        const echo = await send(
          sign({ method: 'POST', path: '/api/echo', token, placement: 'body', form: { a: '1' } }),
        )
        expect(echo.status).toBe(200)
        expect(new URLSearchParams(String(json(echo).body)).get('a')).toBe('1')
      })

      it('oob: the verifier comes back in a 200 form', async () => {
        const temporary = await requestToken(hmac, {}, 'oob')
        const res = await httpRequest(
          `${base()}/oauth/authorize?oauth_token=${encodeURIComponent(temporary.key)}&approve=1`,
        )
        expect(res.status).toBe(200)
        const verifier = form(res).get('oauth_verifier')
        expect(verifier).toBeTruthy()
        expect((await accessToken(hmac, temporary, verifier ?? '')).status).toBe(200)
      })

      it('denial redirects with error=access_denied and kills the request token', async () => {
        const temporary = await requestToken(hmac)
        const res = await httpRequest(`${base()}/oauth/authorize`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: `oauth_token=${encodeURIComponent(temporary.key)}&decision=deny`,
        })
        expect(res.status).toBe(302)
        const location = new URL(String(res.headers.location))
        expect(location.searchParams.get('error')).toBe('access_denied')
        expect(location.searchParams.has('oauth_verifier')).toBe(false)
        const again = await httpRequest(
          `${base()}/oauth/authorize?oauth_token=${encodeURIComponent(temporary.key)}`,
        )
        expectProblem(again, 401, 'token_rejected')
      })

      it('a request token is exchanged once; a wrong verifier is refused', async () => {
        const temporary = await requestToken(hmac)
        const verifier = await approve(temporary)
        expectProblem(await accessToken(hmac, temporary, `${verifier}x`), 401, 'verifier_invalid')
        expect((await accessToken(hmac, temporary, verifier)).status).toBe(200)
        expectProblem(await accessToken(hmac, temporary, verifier), 401, 'token_rejected')
      })

      it('a request token without oauth_callback: 400 parameter_absent', async () => {
        const params = expectProblem(
          await send(sign({ method: 'POST', path: '/oauth/request_token' })),
          400,
          'parameter_absent',
        )
        expect(params.get('oauth_parameters_absent')).toBe('oauth_callback')
      })

      it('a request token for a realm the client may not ask for: 403 permission_denied', async () => {
        expectProblem(
          await send(
            sign({
              method: 'POST',
              path: '/oauth/request_token',
              realm: 'admin',
              oauth: { oauth_callback: CALLBACK },
            }),
          ),
          403,
          'permission_denied',
        )
      })

      it('the consent page refuses an unknown token and a missing one', async () => {
        expectProblem(
          await httpRequest(`${base()}/oauth/authorize?oauth_token=nope`),
          401,
          'token_rejected',
        )
        expectProblem(await httpRequest(`${base()}/oauth/authorize`), 400, 'parameter_absent')
      })
    })

    describe('two-legged (signature only)', () => {
      for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT']) {
        it(`${method}, GET /api/ping`, async () => {
          const res = await send(
            sign({ method: 'GET', path: '/api/ping', signatureMethod: method }),
          )
          expect(res.status).toBe(200)
          expect(json(res)).toEqual({ clientKey: hmac.key, token: null })
        })
      }

      it('RSA-SHA1 with a query string', async () => {
        const res = await send(
          sign({ method: 'GET', path: '/api/ping?q=a%2Fb&q=c&empty=', client: rsa }),
        )
        expect(res.status).toBe(200)
        expect(json(res)).toEqual({ clientKey: rsa.key, token: null })
      })

      it('a signed form body (POST, parameters in the header)', async () => {
        const res = await send(
          sign({
            method: 'POST',
            path: '/api/ping',
            form: { text: 'hello world & more', tag: ['b', 'a'], ünï: '☃' },
          }),
        )
        expect(res.status).toBe(200)
      })

      it('a form body just under the limit', async () => {
        const res = await send(
          sign({ method: 'POST', path: '/api/ping', form: { pad: 'x'.repeat(BODY_LIMIT - 100) } }),
        )
        expect(res.status).toBe(200)
      })

      it('a tampered form body fails the signature', async () => {
        const signed = sign({ method: 'POST', path: '/api/ping', form: { amount: '10' } })
        expectProblem(await send({ ...signed, body: 'amount=1000' }), 401, 'signature_invalid')
      })
    })

    describe('protocol errors over the wire', () => {
      const ping = (input: Partial<SignInput> = {}) =>
        sign({ method: 'GET', path: '/api/ping', ...input })

      it('no credentials: 400 parameter_absent', async () => {
        expectProblem(await httpRequest(`${base()}/api/ping`), 400, 'parameter_absent')
      })

      it('a missing oauth_nonce: 400 parameter_absent naming it', async () => {
        const signed = ping()
        const authorization = (signed.headers.authorization ?? '').replace(
          /oauth_nonce="[^"]*", /,
          '',
        )
        const params = expectProblem(await send(signed, { authorization }), 400, 'parameter_absent')
        expect(params.get('oauth_parameters_absent')).toBe('oauth_nonce')
      })

      it('a bad signature: 401 signature_invalid with WWW-Authenticate', async () => {
        const signed = ping()
        const authorization = (signed.headers.authorization ?? '').replace(
          /oauth_signature="[^"]*"/,
          'oauth_signature="AAAA"',
        )
        expectProblem(await send(signed, { authorization }), 401, 'signature_invalid')
      })

      it('an unknown client: 401 consumer_key_unknown', async () => {
        expectProblem(
          await send(ping({ client: { key: 'who-is-this', secret: 's' } })),
          401,
          'consumer_key_unknown',
        )
      })

      it('a replayed nonce: 401 nonce_used', async () => {
        const signed = ping({ nonce: nonce() })
        expect((await send(signed)).status).toBe(200)
        expectProblem(await send(signed), 401, 'nonce_used')
      })

      it('a stale timestamp: 400 timestamp_refused with the accepted window', async () => {
        const params = expectProblem(
          await send(ping({ timestamp: Math.floor(Date.now() / 1000) - 3600 })),
          400,
          'timestamp_refused',
        )
        expect(params.get('oauth_acceptable_timestamps')).toMatch(/^\d+-\d+$/)
      })

      it('a duplicated protocol parameter: 400 parameter_rejected', async () => {
        const signed = ping()
        const authorization = `${signed.headers.authorization}, oauth_nonce="again"`
        const params = expectProblem(
          await send(signed, { authorization }),
          400,
          'parameter_rejected',
        )
        expect(params.get('oauth_parameters_rejected')).toBe('oauth_nonce')
      })

      it('a non-OAuth Authorization header: 400 parameter_rejected', async () => {
        expectProblem(
          await httpRequest(`${base()}/api/ping`, { headers: { authorization: 'Bearer abc' } }),
          400,
          'parameter_rejected',
        )
      })

      it('protocol parameters in two places: 400 parameter_rejected', async () => {
        const signed = ping()
        expectProblem(
          await send(signed, {}, `${signed.url}?oauth_consumer_key=${hmac.key}`),
          400,
          'parameter_rejected',
        )
      })

      it('bad percent-encoding in the query: 400 parameter_rejected', async () => {
        expectProblem(
          await httpRequest(`${base()}/api/ping?oauth_consumer_key=%zz`),
          400,
          'parameter_rejected',
        )
      })

      it('an unsupported signature method: 400 signature_method_rejected', async () => {
        expectProblem(
          await send(ping({ signatureMethod: 'HMAC-MD5' })),
          400,
          'signature_method_rejected',
        )
      })

      it('oauth_version other than 1.0: 400 version_rejected', async () => {
        expectProblem(await send(ping({ version: '2.0' })), 400, 'version_rejected')
      })

      it('an unknown access token: 401 token_rejected', async () => {
        expectProblem(
          await send(sign({ method: 'GET', path: '/api/me', token: { key: 'nope', secret: 'x' } })),
          401,
          'token_rejected',
        )
      })

      it('a request token used as an access token: 401 token_rejected', async () => {
        const temporary = await requestToken(hmac)
        expectProblem(
          await send(sign({ method: 'GET', path: '/api/me', token: temporary })),
          401,
          'token_rejected',
        )
      })

      it('a realm the token does not grant: 403 permission_denied', async () => {
        const token = await access()
        expectProblem(
          await send(sign({ method: 'GET', path: '/api/admin', token })),
          403,
          'permission_denied',
        )
      })

      it('a store outage: 503 temporarily_unavailable with Retry-After', async () => {
        const res = await send(ping({ client: { key: UNAVAILABLE, secret: 's' } }))
        expectProblem(res, 503, 'temporarily_unavailable')
        expect(res.headers['retry-after']).toMatch(/^\d+$/)
      })

      it('a validator bug: the framework answers 500 and keeps serving', async () => {
        const res = await send(ping({ client: { key: FAILING, secret: 's' } }))
        expect(res.status).toBe(500)
        expect((await send(ping())).status).toBe(200)
      })

      it('a malformed Host header: 400 parameter_rejected', async () => {
        const signed = ping()
        expectProblem(await send(signed, { host: 'bad host' }), 400, 'parameter_rejected')
      })
    })

    describe('bodies', () => {
      it('a form body reaches the route as signed', async () => {
        const token = await access()
        const res = await send(
          sign({ method: 'POST', path: '/api/echo', token, form: { b: '2', a: ['1', '3'] } }),
        )
        expect(res.status).toBe(200)
        const body = json(res)
        expect(body).toMatchObject({ clientKey: hmac.key, resourceOwner: 'alice' })
        expect([...new URLSearchParams(String(body.body))]).toEqual([
          ['b', '2'],
          ['a', '1'],
          ['a', '3'],
        ])
      })

      it('a JSON body covered by oauth_body_hash', async () => {
        const token = await access()
        const text = JSON.stringify({ hello: 'wörld', n: [1, 2] })
        const res = await send(sign({ method: 'POST', path: '/api/echo', token, json: text }))
        expect(res.status).toBe(200)
        expect(json(res).body).toBe(text)
      })

      it('a JSON body changed after signing fails the body hash', async () => {
        const token = await access()
        const signed = sign({ method: 'POST', path: '/api/echo', token, json: '{"a":1}' })
        expectProblem(await send({ ...signed, body: '{"a":2}' }), 401, 'signature_invalid')
      })

      it('a JSON body without oauth_body_hash is left unread for the application', async () => {
        const token = await access()
        const res = await send(
          sign({ method: 'POST', path: '/api/echo', token, json: '{"a":1}', bodyHash: false }),
        )
        expect(res.status).toBe(200)
        expect(json(res).body).toBeNull()
      })

      it('a body over the limit (Content-Length): 413 request_too_large', async () => {
        const res = await httpRequest(`${base()}/api/ping`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: `pad=${'x'.repeat(BODY_LIMIT + 10)}`,
        })
        expectProblem(res, 413, 'request_too_large')
        expect((await send(sign({ method: 'GET', path: '/api/ping' }))).status).toBe(200)
      })

      it('a body over the limit (chunked): 413 request_too_large', async () => {
        const chunk = 'x'.repeat(8 * 1024)
        const res = await httpRequest(`${base()}/oauth/request_token`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: ['pad=', ...Array.from({ length: 12 }, () => chunk)],
        })
        expectProblem(res, 413, 'request_too_large')
        expect((await send(sign({ method: 'GET', path: '/api/ping' }))).status).toBe(200)
      })

      it('a body parser mounted before the adapter: verified from the parsed form, warned once', async () => {
        const before = warnings.filter((w) => w.code === BODY_ALREADY_PARSED).length
        expect(before).toBe(0)
        for (const text of ['one', 'two & three']) {
          const res = await send(
            sign({ method: 'POST', path: '/parsed/echo', form: { text, n: ['1', '2'] } }),
          )
          expect(res.status).toBe(200)
          const body = json(res)
          expect(body.clientKey).toBe(hmac.key)
          expect(new URLSearchParams(String(body.body)).get('text')).toBe(text)
        }
        const parsed = warnings.filter((w) => w.code === BODY_ALREADY_PARSED)
        expect(parsed).toHaveLength(1)
        expect(parsed[0]?.message).toMatch(/\S/)
      })

      it('a body parser before the adapter still catches a tampered form', async () => {
        const signed = sign({ method: 'POST', path: '/parsed/echo', form: { amount: '10' } })
        expectProblem(await send({ ...signed, body: 'amount=99' }), 401, 'signature_invalid')
      })
    })

    describe('proxies', () => {
      const PUBLIC = 'https://api.example.com'
      const viaProxy = (url: string, path = '/api/ping') =>
        signRequest({ method: 'GET', url: `${url}${path}`, client: hmac })
      const to = (server: ConformanceServer, path = '/api/ping') => `${server.baseUrl}${path}`

      it('without trustProxy, X-Forwarded-* are ignored', async () => {
        const forged = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' }
        expectProblem(await send(viaProxy(PUBLIC), forged, to(direct)), 401, 'signature_invalid')
        const real = signRequest({ method: 'GET', url: to(direct), client: hmac })
        expect((await send(real, forged)).status).toBe(200)
        expectProblem(
          await send(
            viaProxy(PUBLIC),
            { forwarded: 'proto=https;host=api.example.com' },
            to(direct),
          ),
          401,
          'signature_invalid',
        )
      })

      it('with trustProxy: X-Forwarded-Proto and X-Forwarded-Host', async () => {
        const res = await send(
          viaProxy(PUBLIC),
          { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' },
          to(proxied),
        )
        expect(res.status).toBe(200)
      })

      it('with trustProxy: X-Forwarded-Port, first hop only', async () => {
        const res = await send(
          viaProxy('https://api.example.com:8443'),
          {
            'x-forwarded-proto': 'https, http',
            'x-forwarded-host': 'api.example.com, internal.example',
            'x-forwarded-port': '8443, 80',
          },
          to(proxied),
        )
        expect(res.status).toBe(200)
      })

      it('with trustProxy: Forwarded (RFC 7239)', async () => {
        const res = await send(
          viaProxy(PUBLIC),
          { forwarded: 'for=192.0.2.60;proto=https;host="api.example.com", for=10.0.0.1' },
          to(proxied),
        )
        expect(res.status).toBe(200)
      })

      it('with trustProxy and no proxy headers: the connection decides', async () => {
        const res = await send(signRequest({ method: 'GET', url: to(proxied), client: hmac }))
        expect(res.status).toBe(200)
      })

      it('with trustProxy: a forwarded plain-HTTP public host is insecure transport (400)', async () => {
        expectProblem(
          await send(
            viaProxy('http://api.example.com'),
            { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example.com' },
            to(proxied),
          ),
          400,
          'insecure_transport',
        )
      })
    })

    describe('robustness', () => {
      it('a 64 KiB Authorization header is refused (400 or 431) and the server keeps serving', async () => {
        const res = await httpRequest(`${base()}/api/ping`, {
          headers: { authorization: `OAuth oauth_consumer_key="${'k'.repeat(64 * 1024)}"` },
        }).catch((error: unknown) => ({ status: -1, error }))
        expect([400, 431]).toContain(res.status)
        expect((await send(sign({ method: 'GET', path: '/api/ping' }))).status).toBe(200)
      })

      it('a 10 KiB Authorization header is a 400 request_too_large from the core', async () => {
        const res = await httpRequest(`${base()}/api/ping`, {
          headers: { authorization: `OAuth oauth_consumer_key="${'k'.repeat(10 * 1024)}"` },
        })
        expectProblem(res, 400, 'request_too_large')
      })

      it('a client that disconnects mid-body does not take the server down', async () => {
        const { host } = new URL(base())
        for (const path of ['/api/ping', '/oauth/request_token', '/parsed/echo']) {
          const signed = sign({ method: 'POST', path, form: { a: 'x'.repeat(1000) } })
          const head = [
            `POST ${path} HTTP/1.1`,
            `Host: ${host}`,
            `Content-Type: ${FORM}`,
            'Content-Length: 100000',
            `Authorization: ${signed.headers.authorization}`,
            '',
            '',
          ].join('\r\n')
          await sendAndDisconnect(base(), head, (signed.body ?? '').slice(0, 500))
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
        expect((await send(sign({ method: 'GET', path: '/api/ping' }))).status).toBe(200)
        expect((await requestToken(hmac)).key).not.toBe('')
      })

      it('HEAD is verified like GET: unsigned is refused, signed reaches the route', async () => {
        // A framework routes HEAD to the GET handler: letting it through unverified
        // would run the protected handler without credentials.
        const unsigned = await httpRequest(`${base()}/api/me`, { method: 'HEAD' })
        expect(unsigned.status).toBe(400)
        expect(unsigned.headers['x-passthrough']).toBeUndefined()
        const token = await fullFlow(hmac)
        const signed = await send(sign({ method: 'HEAD', path: '/api/me', token }))
        expect(signed.status).toBe(204)
        expect(signed.headers['x-passthrough']).toBe('1')
      })

      it('OPTIONS passes through the adapter untouched', async () => {
        const res = await httpRequest(`${base()}/api/me`, { method: 'OPTIONS' })
        expect(res.status).toBe(204)
        expect(res.headers['x-passthrough']).toBe('1')
      })
    })

    describe('interop', () => {
      for (const method of ['HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT'] as const) {
        it(`npm oauth (node-oauth), ${method}: the whole flow, then GET and POST resources`, async () => {
          const secret =
            method === 'RSA-SHA1'
              ? CONFORMANCE_CLIENTS.rsa.privateKeyPem
              : CONFORMANCE_CLIENTS.hmac.secret
          const key = method === 'RSA-SHA1' ? rsa.key : hmac.key
          const client = new NodeOAuth(
            `${base()}/oauth/request_token`,
            `${base()}/oauth/access_token`,
            key,
            secret,
            '1.0',
            CALLBACK,
            method,
          )
          const [token, tokenSecret] = await nodeOAuthCall<[string, string, unknown]>((cb) =>
            client.getOAuthRequestToken(cb),
          )
          const verifier = await approve({ key: token, secret: tokenSecret })
          const [accessKey, accessSecret] = await nodeOAuthCall<[string, string, unknown]>((cb) =>
            client.getOAuthAccessToken(token, tokenSecret, verifier, cb),
          )
          const [me] = await nodeOAuthCall<[string | Buffer | undefined, unknown]>((cb) =>
            client.get(`${base()}/api/me?x=1`, accessKey, accessSecret, cb),
          )
          expect(JSON.parse(String(me))).toMatchObject({ clientKey: key, resourceOwner: 'alice' })
          const [echo] = await nodeOAuthCall<[string | Buffer | undefined, unknown]>((cb) =>
            client.post(
              `${base()}/api/echo`,
              accessKey,
              accessSecret,
              { note: 'from node-oauth', n: '2' },
              FORM,
              cb,
            ),
          )
          const echoed = new URLSearchParams(String(JSON.parse(String(echo)).body))
          expect(echoed.get('note')).toBe('from node-oauth')
        })
      }

      it('npm oauth-1.0a: the whole flow with every request signed by it', async () => {
        const token = await fullFlow(hmac)
        const res = await send(sign({ method: 'GET', path: '/api/me', token }))
        expect(json(res)).toMatchObject({ clientKey: hmac.key, resourceOwner: 'alice' })
      })
    })
  })
}
