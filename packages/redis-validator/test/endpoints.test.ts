// The core's endpoints and createRequestValidator on RedisStore, single node and Cluster:
// the whole protocol, then the two races that matter (nonce replay, verifier exchange).
import { createOAuthRequest, MemoryStore } from '@x/oauth1-core'
import type { Cluster, Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.ts'
import { connectCluster, connectRedis, deleteKeys, randomPrefix } from './helpers.ts'
import { CLIENT, form, ORIGIN, photosRequest, provider, signed, threeLegs } from './provider.ts'
import type { ConformingStore } from './store-conformance.ts'

interface Target {
  readonly name: string
  readonly connect?: () => Promise<Redis | Cluster>
}

const targets: Target[] = [
  { name: 'MemoryStore' },
  { name: 'RedisStore, one server', connect: () => connectRedis() },
  { name: 'RedisStore, Cluster', connect: () => connectCluster() },
]

for (const target of targets) {
  describe(`endpoints on ${target.name}`, () => {
    let redis: Redis | Cluster | undefined
    const prefixes: string[] = []

    beforeAll(async () => {
      redis = await target.connect?.()
    })
    afterAll(async () => {
      if (redis === undefined) return
      for (const prefix of prefixes) await deleteKeys(redis, prefix)
      await redis.quit()
    })

    const freshStore = async (): Promise<ConformingStore> => {
      const store: ConformingStore =
        redis === undefined
          ? new MemoryStore()
          : new RedisStore(redis, { keyPrefix: prefixes[prefixes.push(randomPrefix()) - 1] })
      await store.saveClient({ ...CLIENT })
      return store
    }

    it('runs the three legs, then guards the resource', async () => {
      const store = await freshStore()
      const p = provider(store)
      const credentials = await threeLegs(p)
      const access = await store.getAccessToken(credentials.token)
      expect(access).toMatchObject({ clientKey: CLIENT.clientKey, resourceOwner: 'alice' })

      const request = await photosRequest(credentials)
      const result = await p.resource.validateProtectedResourceRequest(request)
      expect(result).toMatchObject({
        ok: true,
        clientKey: CLIENT.clientKey,
        resourceOwner: 'alice',
      })
      const replay = await p.resource.validateProtectedResourceRequest(request)
      expect(replay.ok).toBe(false)
      if (!replay.ok) expect(form(replay.response).oauth_problem).toBe('nonce_used')

      await store.revokeAccessToken(credentials.token)
      const revoked = await p.resource.validateProtectedResourceRequest(
        await photosRequest(credentials),
      )
      expect(revoked.ok).toBe(false)
      if (!revoked.ok) expect(revoked.response.status).toBe(401)
    })

    it('refuses a second approval and a wrong verifier', async () => {
      const store = await freshStore()
      const p = provider(store)
      const temporary = form(
        await p.requestToken.createRequestTokenResponse(
          await signed({ ...CLIENT, callbackUri: 'oob' }, '/request_token', 'POST'),
        ),
      )
      const authorize = createOAuthRequest({
        method: 'GET',
        url: `${ORIGIN}/authorize?oauth_token=${temporary.oauth_token}`,
      })
      const first = await p.authorization.createAuthorizationResponse(authorize, {
        resourceOwner: 'alice',
      })
      expect(first.status).toBe(200)
      const second = await p.authorization.createAuthorizationResponse(authorize, {
        resourceOwner: 'mallory',
      })
      expect(second.status).toBe(401)
      const wrong = await p.accessToken.createAccessTokenResponse(
        await signed(
          {
            ...CLIENT,
            resourceOwnerKey: temporary.oauth_token,
            resourceOwnerSecret: temporary.oauth_token_secret,
            verifier: 'not-the-verifier',
          },
          '/access_token',
          'POST',
        ),
      )
      expect(wrong.status).toBe(401)
      expect(form(wrong).oauth_problem).toBe('verifier_invalid')
    })

    it('accepts exactly one of 1000 concurrent replays of one request', async () => {
      const store = await freshStore()
      const p = provider(store)
      await store.saveAccessToken({
        token: 'access-token-1',
        secret: 'access-secret-1',
        clientKey: CLIENT.clientKey,
        resourceOwner: 'alice',
        realms: [],
        createdAt: Date.now(),
      })
      const request = await photosRequest({ token: 'access-token-1', secret: 'access-secret-1' })
      const results = await Promise.all(
        Array.from({ length: 1000 }, () => p.resource.validateProtectedResourceRequest(request)),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      const problems = new Set(
        results.flatMap((r) => (r.ok ? [] : [form(r.response).oauth_problem])),
      )
      expect([...problems]).toEqual(['nonce_used'])
    })

    it('issues exactly one access token for 200 concurrent exchanges of one verifier', async () => {
      const store = await freshStore()
      const p = provider(store)
      const temporary = form(
        await p.requestToken.createRequestTokenResponse(
          await signed({ ...CLIENT, callbackUri: 'oob' }, '/request_token', 'POST'),
        ),
      )
      const approval = await p.authorization.createAuthorizationResponse(
        createOAuthRequest({
          method: 'GET',
          url: `${ORIGIN}/authorize?oauth_token=${temporary.oauth_token}`,
        }),
        { resourceOwner: 'alice' },
      )
      const verifier = form(approval).oauth_verifier
      // 200 distinct requests (each its own nonce), one verifier.
      const requests = await Promise.all(
        Array.from({ length: 200 }, () =>
          signed(
            {
              ...CLIENT,
              resourceOwnerKey: temporary.oauth_token,
              resourceOwnerSecret: temporary.oauth_token_secret,
              verifier,
            },
            '/access_token',
            'POST',
          ),
        ),
      )
      const responses = await Promise.all(
        requests.map((request) => p.accessToken.createAccessTokenResponse(request)),
      )
      const issued = responses.filter((r) => r.status === 200)
      expect(issued).toHaveLength(1)
      expect(new Set(responses.filter((r) => r.status !== 200).map((r) => r.status))).toEqual(
        new Set([401]),
      )
      const tokens = await store.listAccessTokens({ clientKey: CLIENT.clientKey })
      expect(tokens.map((t) => t.token)).toEqual([form(issued[0] as never).oauth_token])
      expect(tokens[0]?.resourceOwner).toBe('alice')
    })
  })
}
