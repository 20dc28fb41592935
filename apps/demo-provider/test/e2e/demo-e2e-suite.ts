/**
 * End-to-end tests of the demo provider against the HTTP contract of issue 6, over real
 * HTTP with real third-party clients: one child process `node dist/main.js` per adapter and
 * state mode (memory, Redis). `koa.e2e.test.ts`, `express.e2e.test.ts` and
 * `fetch.e2e.test.ts` each run it for their `DEMO_ADAPTER`, so vitest runs them in parallel.
 *
 * The three-legged flow runs on every adapter x mode with requests-oauthlib (Python) and npm
 * `oauth`. Each signature method runs in every placement on one adapter x mode ("home") and
 * in one placement on all the others, so the full method x placement matrix is covered
 * while each combination stays fast.
 */
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import {
  type HttpResult,
  httpRequest,
  type SignedRequest,
  type SignerToken,
  type SignInput,
  signRequest,
} from '@x/oauth1-testkit'
import { Redis } from 'ioredis'
import { OAuth as NodeOAuth } from 'oauth'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { type DemoClient, demoClient, type PublicKeyFormat } from './support/credentials.ts'
import {
  ADAPTERS,
  type DemoAdapter,
  type DemoProcess,
  redisDatabase,
  startDemo,
} from './support/demo-process.ts'
import {
  describeResponse,
  expectBadRequest,
  expectChallenge,
  expectObservedChallenge,
  expectRefused,
  observedForm,
  observedJson,
  withoutProtocol,
} from './support/expectations.ts'
import {
  METHODS,
  type Method,
  type Observed,
  PLACEMENTS,
  type Placement,
  type PythonResult,
  runPythonClient,
  type Steps,
} from './support/python.ts'
import { UserAgent } from './support/user-agent.ts'

export type StateMode = 'memory' | 'redis'
const MODES: readonly StateMode[] = ['memory', 'redis']
const USER = 'alice'
const PASSWORD = 'wonderland'
const CALLBACK = 'http://client.example/cb?state=s1'
const ECHO_FORM = { greeting: 'hello world', symbols: 'a&b=c+d%e~', unicode: 'café ☕' }
const FORM = 'application/x-www-form-urlencoded'
/** Each Redis-backed demo gets its own database: 1 + the adapter's index. */
const REDIS_DB: Record<DemoAdapter, number> = { koa: 1, express: 2, fetch: 3 }
const KEY_FORMAT: Record<DemoAdapter, PublicKeyFormat> = {
  koa: 'x509',
  express: 'spki',
  fetch: 'pkcs1',
}
const NODE_OAUTH_EXTRA = ['RSA-SHA1', 'PLAINTEXT', 'HMAC-SHA256'] as const
const HOOK_TIMEOUT = 60_000
const TEST_TIMEOUT = 60_000

/** The 0-5 index of an adapter x mode: where each method runs in every placement. */
function comboIndex(adapter: DemoAdapter, mode: StateMode): number {
  return ADAPTERS.indexOf(adapter) * MODES.length + MODES.indexOf(mode)
}

/** The cells one adapter x mode runs (see the module comment). */
export function cellsFor(
  adapter: DemoAdapter,
  mode: StateMode,
): { method: Method; placement: Placement }[] {
  const combo = comboIndex(adapter, mode)
  const combos = ADAPTERS.length * MODES.length
  return METHODS.flatMap((method, m) =>
    m % combos === combo
      ? PLACEMENTS.map((placement) => ({ method, placement }))
      : [{ method, placement: PLACEMENTS[(m + combo) % PLACEMENTS.length] as Placement }],
  )
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

function formOf(res: HttpResult): URLSearchParams {
  return new URLSearchParams(res.body)
}

const nonce = (): string => randomBytes(12).toString('hex')

/**
 * Sends a raw request in 4 KiB pieces, pausing after each, and stops sending once an answer
 * arrives; returns the answer's status. A server that refuses an oversized head answers
 * and closes while the client may still be sending: sent all at once, the data the server
 * never read makes its kernel reset the connection, and the reset can destroy the answer
 * before the client reads it. Paced, the server has read everything sent when it closes.
 */
function sendSlowly(baseUrl: string, text: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    let received = ''
    const socket = connect(Number(port), hostname)
    const finish = (): void => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1]
      if (status === undefined)
        reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 80))}`))
      else resolve(Number(status))
    }
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    socket.on('error', () => {})
    socket.on('close', finish)
    socket.on('connect', async () => {
      for (let at = 0; at < text.length && received === '' && !socket.destroyed; at += 4096) {
        socket.write(text.slice(at, at + 4096))
        await new Promise((r) => setTimeout(r, 5))
      }
    })
  })
}

export function runDemoE2E(adapter: DemoAdapter): void {
  for (const mode of MODES) {
    describe(`demo provider e2e: DEMO_ADAPTER=${adapter}, state in ${mode}`, () => {
      const client: DemoClient = demoClient(`${adapter}-${mode}`, KEY_FORMAT[adapter], CALLBACK)
      let demo: DemoProcess
      const base = (): string => demo.baseUrl

      const redisUrl =
        mode === 'redis' ? redisDatabase(inject('redisUrl'), REDIS_DB[adapter]) : undefined

      beforeAll(async () => {
        demo = await startDemo({
          adapter,
          redisUrl,
          clientKey: client.key,
          clientSecret: client.secret,
          clientCallback: CALLBACK,
          clientRsaPublicKey: client.publicKeyPath,
          user: USER,
          password: PASSWORD,
        })
      }, HOOK_TIMEOUT)

      afterEach((context) => {
        if (context.task.result?.state === 'fail' && demo !== undefined) {
          console.error(`--- demo (${adapter}, ${mode}) output ---\n${demo.output().slice(-4000)}`)
        }
      })

      afterAll(async () => {
        await demo?.stop()
      }, HOOK_TIMEOUT)

      // --- requests-oauthlib + oauthlib (Debian's Python) ---------------------------------
      const cells = cellsFor(adapter, mode)
      let python: Promise<PythonResult> | undefined
      const pythonResult = (): Promise<PythonResult> => {
        python ??= runPythonClient({
          base: base(),
          client,
          user: USER,
          password: PASSWORD,
          flow: true,
          cells,
        })
        return python
      }
      const task = async (name: 'flow' | 'deny' | 'oob'): Promise<Steps> => {
        const steps = (await pythonResult())[name]
        expect(steps?.error, steps?.error).toBeUndefined()
        return steps as Steps
      }

      describe('requests-oauthlib and oauthlib (Python)', () => {
        it(
          'login: logged out, the consent page sends to /login; a wrong password sets no cookie',
          async () => {
            const steps = await task('flow')
            const loggedOut = steps.authorizeLoggedOut as Observed
            expect(loggedOut.status, loggedOut.body).toBe(302)
            const location = new URL(loggedOut.location ?? '', base())
            expect(location.origin).toBe(base())
            expect(location.pathname).toBe('/login')
            const next = location.searchParams.get('next') ?? ''
            expect(next).toMatch(/^\/oauth\/authorize\?oauth_token=/)
            const wrong = steps.loginWrongPassword as Observed
            expect([200, 401], wrong.body.slice(0, 300)).toContain(wrong.status)
            expect(wrong.contentType).toMatch(/^text\/html/)
            expect(wrong.page?.hidden).toBeDefined()
            expect(wrong.body).toMatch(/name="?password"?/)
            expect(wrong.setCookie).toEqual([])
            const login = steps.login as Observed
            expect(login.status, login.body.slice(0, 300)).toBe(302)
            expect(new URL(login.location ?? '', base()).toString()).toBe(
              new URL(next, base()).toString(),
            )
            const session = login.setCookie.filter(
              (cookie) => /;\s*HttpOnly/i.test(cookie) && /;\s*SameSite=Lax/i.test(cookie),
            )
            expect(session, login.setCookie.join('\n')).toHaveLength(1)
          },
          TEST_TIMEOUT,
        )

        it('OAuth1Session: request token, consent with CSRF, approval, access token', async () => {
          const steps = await task('flow')
          const requestToken = steps.requestToken as Record<string, string>
          expect(requestToken.oauth_callback_confirmed).toBe('true')
          expect(requestToken.oauth_token).toBeTruthy()
          expect(requestToken.oauth_token_secret).toBeTruthy()
          const consent = steps.consent as Observed
          expect(consent.status, consent.body.slice(0, 300)).toBe(200)
          expect(consent.contentType).toMatch(/^text\/html/)
          expect(consent.page?.hidden.oauth_token).toBe(requestToken.oauth_token)
          expect(consent.page?.hidden.csrf_token).toBeTruthy()
          expect(consent.page?.decisions).toEqual(expect.arrayContaining(['approve', 'deny']))
          expect((steps.csrfMissing as Observed).status).toBe(403)
          expect((steps.csrfWrong as Observed).status).toBe(403)
          const decision = steps.decision as Observed
          expect(decision.status, decision.body.slice(0, 300)).toBe(302)
          const location = new URL(decision.location ?? '')
          expect(`${location.origin}${location.pathname}`).toBe('http://client.example/cb')
          expect(location.searchParams.get('state')).toBe('s1')
          expect(location.searchParams.get('oauth_token')).toBe(requestToken.oauth_token)
          expect(location.searchParams.get('oauth_verifier')).toBeTruthy()
          const access = steps.accessToken as Record<string, string>
          expect(access.oauth_token).toBeTruthy()
          expect(access.oauth_token_secret).toBeTruthy()
          expect(access.oauth_token).not.toBe(requestToken.oauth_token)
        })

        it('OAuth1Session: /api/me, /api/echo (form body), /api/ping (two-legged)', async () => {
          const steps = await task('flow')
          expect(observedJson(steps.me)).toEqual({
            user: USER,
            client: client.key,
            realms: expect.any(Array),
          })
          const echo = observedJson(steps.echo)
          expect(withoutProtocol(echo.params)).toEqual(ECHO_FORM)
          expect(observedJson(steps.ping)).toEqual({ client: client.key })
        })

        it('OAuth1Session: the verifier and request token work once (401 the second time)', async () => {
          const steps = await task('flow')
          expectObservedChallenge(steps.accessTokenReplay as Observed)
        })

        it('denial: 302 with error=access_denied and no verifier; the token is then refused', async () => {
          const steps = await task('deny')
          const decision = steps.decision as Observed
          expect(decision.status, decision.body.slice(0, 300)).toBe(302)
          const location = new URL(decision.location ?? '')
          expect(`${location.origin}${location.pathname}`).toBe('http://client.example/cb')
          expect(location.searchParams.get('error')).toBe('access_denied')
          expect(location.searchParams.has('oauth_verifier')).toBe(false)
          expectObservedChallenge(steps.accessToken as Observed)
        })

        it('callback oob: the verifier is on the page (id="verifier") and exchanges', async () => {
          const steps = await task('oob')
          const decision = steps.decision as Observed
          expect(decision.status, decision.body.slice(0, 300)).toBe(200)
          expect(decision.contentType).toMatch(/^text\/html/)
          expect(steps.verifier).toBeTruthy()
          expect((steps.accessToken as Record<string, string>).oauth_token).toBeTruthy()
          expect(observedJson(steps.me)).toMatchObject({ user: USER, client: client.key })
        })

        for (const [i, { method, placement }] of cells.entries()) {
          it(`${method}, ${placement}: the flow${placement === 'BODY' ? ' and /api/echo' : ', /api/me, /api/echo, /api/ping'}`, async () => {
            const cell = (await pythonResult()).cells[i]
            expect(cell).toMatchObject({ method, placement })
            const steps = cell?.steps as Steps
            expect(steps.error, steps.error).toBeUndefined()
            const temporary = observedForm(steps.requestToken)
            expect(temporary.oauth_callback_confirmed).toBe('true')
            const decision = steps.decision as Observed
            expect(decision.status, decision.body.slice(0, 300)).toBe(302)
            expect(new URL(decision.location ?? '').searchParams.get('oauth_verifier')).toBeTruthy()
            const access = observedForm(steps.accessToken)
            expect(access.oauth_token).toBeTruthy()
            expect(access.oauth_token_secret).toBeTruthy()
            expect(withoutProtocol(observedJson(steps.echo).params)).toEqual(ECHO_FORM)
            if (placement === 'BODY') return
            expect(observedJson(steps.me)).toEqual({
              user: USER,
              client: client.key,
              realms: expect.any(Array),
            })
            expect(observedJson(steps.ping)).toEqual({ client: client.key })
          })
        }
      })

      // --- npm oauth (node-oauth) ---------------------------------------------------------
      let browser: UserAgent | undefined
      const loggedIn = async (): Promise<UserAgent> => {
        if (browser === undefined) {
          const agent = new UserAgent(base())
          const res = await agent.login(USER, PASSWORD, '/')
          expect(res.status, describeResponse(res)).toBe(302)
          browser = agent
        }
        return browser
      }

      describe('npm oauth (node-oauth)', () => {
        const extra = NODE_OAUTH_EXTRA[comboIndex(adapter, mode) % NODE_OAUTH_EXTRA.length]
        const methods = ['HMAC-SHA1', extra as (typeof NODE_OAUTH_EXTRA)[number]]
        for (const method of methods) {
          it(`${method}: the flow, GET /api/me, a signed POST to /api/echo, two-legged /api/ping`, async () => {
            const secret = method === 'RSA-SHA1' ? client.privateKeyPem : client.secret
            const oauth = new NodeOAuth(
              `${base()}/oauth/request_token`,
              `${base()}/oauth/access_token`,
              client.key,
              secret,
              '1.0',
              CALLBACK,
              method,
            )
            const [token, tokenSecret, results] = await nodeOAuthCall<
              [string, string, Record<string, unknown>]
            >((cb) => oauth.getOAuthRequestToken(cb))
            expect(results.oauth_callback_confirmed).toBe('true')
            const verifier = await (await loggedIn()).approve(token)
            const [accessKey, accessSecret] = await nodeOAuthCall<[string, string, unknown]>((cb) =>
              oauth.getOAuthAccessToken(token, tokenSecret, verifier, cb),
            )
            expect(accessKey).toBeTruthy()
            const [me] = await nodeOAuthCall<[string | Buffer | undefined, unknown]>((cb) =>
              oauth.get(`${base()}/api/me?view=full`, accessKey, accessSecret, cb),
            )
            expect(JSON.parse(String(me))).toEqual({
              user: USER,
              client: client.key,
              realms: expect.any(Array),
            })
            const [echo] = await nodeOAuthCall<[string | Buffer | undefined, unknown]>((cb) =>
              oauth.post(`${base()}/api/echo`, accessKey, accessSecret, ECHO_FORM, FORM, cb),
            )
            expect(JSON.parse(String(echo))).toEqual({ params: ECHO_FORM })
            const [ping] = await nodeOAuthCall<[string | Buffer | undefined, unknown]>((cb) =>
              oauth.get(`${base()}/api/ping`, null as unknown as string, '', cb),
            )
            expect(JSON.parse(String(ping))).toEqual({ client: client.key })
          })
        }
      })

      if (redisUrl !== undefined) {
        it(`keeps its state in Redis, database ${REDIS_DB[adapter]} of REDIS_URL`, async () => {
          const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
          await redis.connect()
          try {
            const before = await redis.dbsize()
            const res = await httpRequest(`${base()}/login`, {
              method: 'POST',
              headers: { 'content-type': FORM },
              body: new URLSearchParams({
                username: USER,
                password: PASSWORD,
                next: '/',
              }).toString(),
            })
            expect(res.status, describeResponse(res)).toBe(302)
            // A new session, and nothing else touches this database meanwhile.
            expect(await redis.dbsize()).toBeGreaterThan(before)
          } finally {
            redis.disconnect()
          }
        })
      }

      // --- the rest of the contract, signed with npm oauth-1.0a + node:crypto ---------------
      const hmac = { key: client.key, secret: client.secret }
      const sign = (input: Omit<SignInput, 'url' | 'client'> & { path: string }): SignedRequest =>
        signRequest({ client: hmac, ...input, url: `${base()}${input.path}` })
      const send = (
        signed: SignedRequest,
        headers: Record<string, string> = {},
      ): Promise<HttpResult> =>
        httpRequest(signed.url, {
          method: signed.method,
          headers: { ...signed.headers, ...headers },
          body: signed.body,
        })
      const ok = async (signed: SignedRequest): Promise<HttpResult> => {
        const res = await send(signed)
        expect(res.status, describeResponse(res)).toBe(200)
        return res
      }

      async function requestToken(): Promise<SignerToken> {
        const res = await ok(
          sign({
            method: 'POST',
            path: '/oauth/request_token',
            oauth: { oauth_callback: CALLBACK },
          }),
        )
        const form = formOf(res)
        return {
          key: form.get('oauth_token') ?? '',
          secret: form.get('oauth_token_secret') ?? '',
        }
      }

      const exchange = (token: SignerToken, verifier: string): Promise<HttpResult> =>
        send(
          sign({
            method: 'POST',
            path: '/oauth/access_token',
            token,
            oauth: { oauth_verifier: verifier },
          }),
        )

      async function accessToken(): Promise<SignerToken> {
        const temporary = await requestToken()
        const verifier = await (await loggedIn()).approve(temporary.key)
        const res = await exchange(temporary, verifier)
        expect(res.status, describeResponse(res)).toBe(200)
        const form = formOf(res)
        return {
          key: form.get('oauth_token') ?? '',
          secret: form.get('oauth_token_secret') ?? '',
        }
      }

      let access: Promise<SignerToken> | undefined
      const sharedAccess = (): Promise<SignerToken> => {
        access ??= accessToken()
        return access
      }

      /** The request's Authorization header with `edit` applied to its parameter list. */
      function editHeader(signed: SignedRequest, edit: (fields: string[]) => string[]): string {
        const header = signed.headers.authorization ?? ''
        return `OAuth ${edit(header.slice('OAuth '.length).split(', ')).join(', ')}`
      }

      describe('contract details', () => {
        it('GET /oauth/request_token is accepted too (header and query)', async () => {
          for (const placement of ['header', 'query'] as const) {
            const res = await ok(
              sign({
                method: 'GET',
                path: '/oauth/request_token',
                placement,
                oauth: { oauth_callback: CALLBACK },
              }),
            )
            expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
            const form = formOf(res)
            expect(form.get('oauth_callback_confirmed')).toBe('true')
            expect(form.get('oauth_token')).toBeTruthy()
            expect(form.get('oauth_token_secret')).toBeTruthy()
          }
        })

        // "Printable" as the core's identifier rules mean it: \x21-\x7e (no space).
        it('nonces of 8 to 64 printable ASCII characters are accepted', async () => {
          for (const value of [
            'a1B2c3D4',
            `${'x'.repeat(40)}!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`.slice(0, 64),
            randomBytes(32).toString('hex'),
          ]) {
            expect(value.length).toBeGreaterThanOrEqual(8)
            expect(value.length).toBeLessThanOrEqual(64)
            const nonceValue = `${value.slice(0, -6)}${randomBytes(3).toString('hex')}`
            await ok(sign({ method: 'GET', path: '/api/ping', nonce: nonceValue }))
          }
        })

        it('callback oob, denied: 200 page without a verifier', async () => {
          const res = await ok(
            sign({
              method: 'POST',
              path: '/oauth/request_token',
              oauth: { oauth_callback: 'oob' },
            }),
          )
          const token = formOf(res).get('oauth_token') ?? ''
          const { result } = await (await loggedIn()).decide(token, 'deny')
          expect(result.status, describeResponse(result)).toBe(200)
          expect(result.headers['content-type']).toMatch(/^text\/html/)
          expect(result.body).not.toMatch(/id="?verifier"?/)
          expect(result.headers.location).toBeUndefined()
        })
      })

      describe('failures', () => {
        it('missing protocol parameters: 400', async () => {
          for (const name of [
            'oauth_signature',
            'oauth_consumer_key',
            'oauth_signature_method',
            'oauth_nonce',
            'oauth_timestamp',
          ]) {
            const signed = sign({ method: 'GET', path: '/api/ping' })
            const authorization = editHeader(signed, (f) =>
              f.filter((x) => !x.startsWith(`${name}=`)),
            )
            expect(authorization).not.toContain(`${name}=`)
            expectBadRequest(await send(signed, { authorization }), 'parameter_absent')
          }
        })

        it('duplicated protocol parameters (header, query): 400', async () => {
          const signed = sign({ method: 'GET', path: '/api/ping' })
          const authorization = editHeader(signed, (f) => [...f, `oauth_nonce="${nonce()}"`])
          expectBadRequest(await send(signed, { authorization }), 'parameter_rejected')
          const query = sign({ method: 'GET', path: '/api/ping', placement: 'query' })
          const res = await httpRequest(`${query.url}&oauth_nonce=${nonce()}`)
          expectBadRequest(res, 'parameter_rejected')
        })

        it('unsupported parameters: protocol parameters in two places, a body hash on a form: 400', async () => {
          const signed = sign({ method: 'GET', path: '/api/ping' })
          const twice = await httpRequest(`${signed.url}?oauth_nonce=${nonce()}`, {
            headers: signed.headers,
          })
          expectBadRequest(twice, 'parameter_rejected')
          const form = sign({
            method: 'POST',
            path: '/oauth/request_token',
            form: { a: '1' },
            oauth: { oauth_callback: CALLBACK },
          })
          const withHash = editHeader(form, (f) => [
            ...f,
            'oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D"',
          ])
          expectBadRequest(await send(form, { authorization: withHash }), 'parameter_rejected')
        })

        it('an unsupported signature method: 400', async () => {
          for (const signatureMethod of ['HMAC-MD5', 'RSA-MD5', 'hmac-sha1']) {
            const res = await send(sign({ method: 'GET', path: '/api/ping', signatureMethod }))
            expectBadRequest(res, 'signature_method_rejected')
          }
        })

        it('oauth_version other than 1.0: 400', async () => {
          for (const version of ['2.0', '1.0a', '1']) {
            const res = await send(sign({ method: 'GET', path: '/api/ping', version }))
            expectBadRequest(res, 'version_rejected')
          }
        })

        it('a malformed or non-OAuth Authorization header: 400', async () => {
          const signed = sign({ method: 'GET', path: '/api/ping' })
          const header = signed.headers.authorization ?? ''
          for (const authorization of [
            header.replace(/", oauth_nonce=/, '" oauth_nonce='),
            header.replace(/oauth_nonce="([^"]*)"/, '="$1"'),
            header.replace(/oauth_nonce="([^"]*)"/, 'oauth_nonce="$1'),
            `${header}, garbage`,
            'OAuth ,,,==',
            'Basic YWxpY2U6d29uZGVybGFuZA==',
          ]) {
            expectBadRequest(
              await httpRequest(`${base()}/api/ping`, { headers: { authorization } }),
              ['parameter_rejected', 'parameter_absent'],
            )
          }
        })

        it('invalid percent-encoding (query, header, body): 400', async () => {
          const signed = sign({ method: 'GET', path: '/api/ping' })
          expectBadRequest(
            await httpRequest(`${base()}/api/ping?q=%zz`, { headers: signed.headers }),
            'parameter_rejected',
          )
          const badHeader = editHeader(sign({ method: 'GET', path: '/api/ping' }), (f) =>
            f.map((x) => (x.startsWith('oauth_nonce=') ? 'oauth_nonce="ab%G1cdefgh"' : x)),
          )
          expectBadRequest(
            await httpRequest(`${base()}/api/ping`, { headers: { authorization: badHeader } }),
            'parameter_rejected',
          )
          const token = await sharedAccess()
          const post = sign({ method: 'POST', path: '/api/echo', token, form: { a: '1' } })
          expectBadRequest(await send({ ...post, body: 'a=%E0%A4' }), 'parameter_rejected')
        })

        it('a bad signature: 401 with the challenge, on every kind of route', async () => {
          const token = await sharedAccess()
          for (const signed of [
            sign({ method: 'GET', path: '/api/ping' }),
            sign({ method: 'GET', path: '/api/me', token }),
            sign({
              method: 'POST',
              path: '/oauth/request_token',
              oauth: { oauth_callback: CALLBACK },
            }),
          ]) {
            const authorization = (signed.headers.authorization ?? '').replace(
              /oauth_signature="([^"]+)"/,
              (_, v: string) => `oauth_signature="${v.startsWith('A') ? 'B' : 'A'}${v.slice(1)}"`,
            )
            expect(authorization).not.toBe(signed.headers.authorization)
            expectChallenge(await send(signed, { authorization }), 'signature_invalid')
          }
          const wrongSecret = signRequest({
            client: { key: client.key, secret: `${client.secret}x` },
            method: 'GET',
            url: `${base()}/api/ping`,
          })
          expectChallenge(await send(wrongSecret), 'signature_invalid')
        })

        it('an unknown client or token: 401', async () => {
          const unknownClient = signRequest({
            client: { key: `unknown-${nonce()}`, secret: 'x' },
            method: 'GET',
            url: `${base()}/api/ping`,
          })
          expectChallenge(await send(unknownClient), ['consumer_key_unknown', 'signature_invalid'])
          const unknownToken = sign({
            method: 'GET',
            path: '/api/me',
            token: { key: `unknown-token-${nonce()}`, secret: 'x' },
          })
          expectChallenge(await send(unknownToken), ['token_rejected', 'signature_invalid'])
        })

        it('a used nonce: 401', async () => {
          const token = await sharedAccess()
          const signed = sign({ method: 'GET', path: '/api/me', token })
          await ok(signed)
          expectChallenge(await send(signed), 'nonce_used')
          const ping = sign({ method: 'GET', path: '/api/ping' })
          await ok(ping)
          expectChallenge(await send(ping), 'nonce_used')
        })

        it('a used or wrong verifier: 401', async () => {
          const temporary = await requestToken()
          const verifier = await (await loggedIn()).approve(temporary.key)
          expectChallenge(await exchange(temporary, `${verifier}x`))
          expectChallenge(await exchange(temporary, 'wrong'))
          // Whether a wrong guess spends the request token or not, the first valid exchange
          // through a fresh token works once.
          const fresh = await requestToken()
          const good = await (await loggedIn()).approve(fresh.key)
          expect((await exchange(fresh, good)).status).toBe(200)
          expectChallenge(await exchange(fresh, good))
        })

        it('a token of the wrong kind: 401', async () => {
          const temporary = await requestToken()
          expectChallenge(await send(sign({ method: 'GET', path: '/api/me', token: temporary })))
          const token = await sharedAccess()
          expectChallenge(await exchange(token, 'any-verifier'))
        })

        it('a stale or future timestamp: 400 or 401', async () => {
          const now = Math.floor(Date.now() / 1000)
          for (const timestamp of [now - 3600, now + 3600, 1]) {
            expectRefused(await send(sign({ method: 'GET', path: '/api/ping', timestamp })))
          }
        })

        it('no OAuth parameters at all: 400, or 401 with the challenge', async () => {
          expectRefused(await httpRequest(`${base()}/api/me`))
          expectRefused(await httpRequest(`${base()}/api/ping`))
          expectRefused(await httpRequest(`${base()}/oauth/request_token`, { method: 'POST' }))
          expectRefused(await httpRequest(`${base()}/oauth/access_token`, { method: 'POST' }))
          expectRefused(
            await httpRequest(`${base()}/api/echo`, {
              method: 'POST',
              headers: { 'content-type': FORM },
              body: 'a=1',
            }),
          )
        })

        it('a 64 KiB Authorization header: 400 or 431, and the server keeps serving', async () => {
          const status = await sendSlowly(
            base(),
            `GET /api/ping HTTP/1.1\r\nHost: ${new URL(base()).host}\r\nConnection: close\r\n` +
              `Authorization: OAuth oauth_consumer_key="${'k'.repeat(64 * 1024)}"\r\n\r\n`,
          )
          expect([400, 431]).toContain(status)
          await ok(sign({ method: 'GET', path: '/api/ping' }))
          expect((await httpRequest(`${base()}/healthz`)).status).toBe(200)
        })

        it('a nonce is single-use under 50 parallel replays: exactly one 200', async () => {
          const token = await sharedAccess()
          for (const signed of [
            sign({ method: 'GET', path: '/api/me', token }),
            sign({ method: 'GET', path: '/api/ping' }),
          ]) {
            const results = await Promise.all(Array.from({ length: 50 }, () => send(signed)))
            const statuses = results.map((r) => r.status)
            expect(statuses.filter((s) => s === 200).length, statuses.join(' ')).toBe(1)
            for (const res of results) if (res.status !== 200) expectChallenge(res, 'nonce_used')
          }
        })

        it('a verifier is single-use under 50 parallel exchanges: exactly one 200', async () => {
          const temporary = await requestToken()
          const verifier = await (await loggedIn()).approve(temporary.key)
          const results = await Promise.all(
            Array.from({ length: 50 }, () => exchange(temporary, verifier)),
          )
          const statuses = results.map((r) => r.status)
          expect(statuses.filter((s) => s === 200).length, statuses.join(' ')).toBe(1)
          for (const res of results) if (res.status !== 200) expectChallenge(res)
          const winner = results.find((r) => r.status === 200) as HttpResult
          const granted = formOf(winner)
          const me = await send(
            sign({
              method: 'GET',
              path: '/api/me',
              token: {
                key: granted.get('oauth_token') ?? '',
                secret: granted.get('oauth_token_secret') ?? '',
              },
            }),
          )
          expect(me.status, describeResponse(me)).toBe(200)
        })

        it('no lockout: 200 bad requests, then a good one succeeds', async () => {
          const token = await sharedAccess()
          const bad = Array.from({ length: 200 }, (_, i) =>
            signRequest({
              client: { key: client.key, secret: `wrong-${i}` },
              method: 'GET',
              url: `${base()}/api/me`,
              token,
            }),
          )
          for (let i = 0; i < bad.length; i += 20) {
            const batch = await Promise.all(bad.slice(i, i + 20).map((signed) => send(signed)))
            for (const res of batch) expect(res.status, describeResponse(res)).toBe(401)
          }
          await ok(sign({ method: 'GET', path: '/api/me', token }))
          await ok(sign({ method: 'GET', path: '/api/ping' }))
        })
      })
    })
  }
}
