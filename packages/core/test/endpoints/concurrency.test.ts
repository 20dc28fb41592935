// Races: one signed request replayed 1000 times at once, one request token exchanged 200
// times at once, one request token approved 100 times at once. Exactly one may win, on
// the synchronous MemoryStore and on the same store behind random async delays (where
// the requests really interleave between store calls).
import type { OAuthRequest, OAuthResponse } from '@x/oauth1-core'
import { describe, expect, test } from 'vitest'
import { type CallCounts, form, instrumentStore, Provider, send } from './support.ts'

const STORES = [
  ['the synchronous MemoryStore', false],
  ['a MemoryStore behind random async delays', true],
] as const

function statusCounts(responses: readonly OAuthResponse[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of responses) {
    const key =
      r.status === 200 || r.status === 302
        ? String(r.status)
        : `${r.status} ${form(r).oauth_problem}`
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

describe.each(STORES)('on %s', (_, delay) => {
  function provider(): { p: Provider; counts: CallCounts } {
    const counts: CallCounts = new Map()
    const p = new Provider({ wrapStore: (store) => instrumentStore(store, { delay, counts }) })
    return { p, counts }
  }

  test('1000 concurrent replays of one protected-resource request: exactly one passes', async () => {
    const { p, counts } = provider()
    const at = await p.threeLegged()
    const req = await p.resourceRequest({ token: at.token, secret: at.secret })
    const before = counts.get('claimNonce') ?? 0
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        p.server.validateProtectedResourceRequest(req, { realms: ['photos'] }),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const responses = results.flatMap((r) => (r.ok ? [] : [r.response]))
    expect(statusCounts(responses)).toEqual({ '401 nonce_used': 999 })
    for (const response of responses.slice(0, 10)) p.expectError(response, 401, 'nonce_used')
    // Every one of them got as far as claiming the nonce.
    expect((counts.get('claimNonce') ?? 0) - before).toBe(1000)
  })

  test('1000 concurrent replays on the signature-only endpoint: exactly one passes', async () => {
    const { p } = provider()
    const req = await p.resourceRequest({})
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => p.server.validateRequest(req)),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })

  test('200 concurrent exchanges of one request token, each with its own nonce: one token', async () => {
    const { p, counts } = provider()
    const rt = await p.authorizedRequestToken()
    const requests: OAuthRequest[] = []
    for (let i = 0; i < 200; i++) requests.push(await p.accessTokenRequest(rt))
    expect(new Set(requests.map((r) => r.headers.authorization)).size).toBe(200)
    const responses = await Promise.all(
      requests.map((req) => p.server.createAccessTokenResponse(req)),
    )
    expect(statusCounts(responses)).toEqual({ '200': 1, '401 token_rejected': 199 })
    const winner = responses.find((r) => r.status === 200) as OAuthResponse
    const issued = form(winner)
    expect(issued.oauth_token).toMatch(/^[A-Za-z0-9]{20,64}$/)
    for (const r of responses) if (r.status !== 200) p.expectError(r, 401, 'token_rejected')
    const stored = p.store.listAccessTokens({ clientKey: p.alice.clientKey })
    expect(stored.map((t) => t.token)).toEqual([issued.oauth_token])
    expect(p.store.listAccessTokens({})).toHaveLength(1)
    expect(p.store.getRequestToken(rt.token)).toBeUndefined()
    // The race was real: many requests passed validation and reached the atomic exchange.
    expect(counts.get('exchangeRequestToken') ?? 0).toBeGreaterThan(1)
    // The token works.
    p.secrets.add(issued.oauth_token_secret as string)
    const use = await p.resourceRequest({
      token: issued.oauth_token,
      secret: issued.oauth_token_secret,
    })
    expect((await send(p, 'resource', use)).status).toBe(200)
  })

  test('200 concurrent replays of one exchange request: one token, the rest nonce_used', async () => {
    const { p } = provider()
    const rt = await p.authorizedRequestToken()
    const req = await p.accessTokenRequest(rt)
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => p.server.createAccessTokenResponse(req)),
    )
    expect(statusCounts(responses)).toEqual({ '200': 1, '401 nonce_used': 199 })
    expect(p.store.listAccessTokens({})).toHaveLength(1)
  })

  test('100 concurrent approvals of one request token: exactly one verifier is bound', async () => {
    const { p, counts } = provider()
    const rt = await p.requestToken()
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        p.server.createAuthorizationResponse(p.approvalRequest(rt.token), {
          resourceOwner: `user-${i}`,
          realms: ['photos'],
        }),
      ),
    )
    expect(statusCounts(responses)).toEqual({ '302': 1, '401 token_rejected': 99 })
    expect(counts.get('authorizeRequestToken') ?? 0).toBeGreaterThan(1)
    const winner = responses.find((r) => r.status === 302) as OAuthResponse
    const verifier = new URL(winner.headers.Location as string).searchParams.get('oauth_verifier')
    const record = p.store.getRequestToken(rt.token)
    expect(record?.verifier).toBe(verifier)
    // The verifier in the redirect is the one that works, for the user who won.
    const at = await p.accessToken({ ...rt, verifier: verifier as string })
    const owner = p.store.getAccessToken(at.token)?.resourceOwner
    expect(owner).toBe(record?.resourceOwner)
    expect(owner).toMatch(/^user-\d+$/)
  })
})

describe('the test has teeth', () => {
  test('a non-atomic exchange (look up, await, delete) issues several tokens under the same race', async () => {
    // The same scenario against a store that checks and deletes in two steps: the race
    // that the atomic exchangeRequestToken closes is really there.
    const p = new Provider({
      wrapStore: (store) => {
        const delayed = instrumentStore(store, { delay: true })
        return new Proxy(delayed, {
          get(target, prop) {
            if (prop !== 'exchangeRequestToken') return Reflect.get(target, prop, target)
            return async (exchange: Parameters<typeof store.exchangeRequestToken>[0]) => {
              const record = store.getRequestToken(exchange.requestToken)
              await new Promise((resolve) => setTimeout(resolve, 1))
              if (record === undefined || record.verifier !== exchange.verifier) return false
              store.deleteRequestToken(exchange.requestToken)
              store.saveAccessToken(exchange.accessToken)
              return true
            }
          },
        })
      },
    })
    const rt = await p.authorizedRequestToken()
    const requests: OAuthRequest[] = []
    for (let i = 0; i < 200; i++) requests.push(await p.accessTokenRequest(rt))
    const responses = await Promise.all(
      requests.map((req) => p.server.createAccessTokenResponse(req)),
    )
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(1)
    expect(p.store.listAccessTokens({}).length).toBeGreaterThan(1)
  })
})
