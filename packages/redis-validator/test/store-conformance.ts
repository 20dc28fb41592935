// One suite for every store: MemoryStore (the reference), RedisStore on one server and on a
// Cluster. Each test gets a fresh, empty store on a clock it moves by hand.
import type {
  AccessTokenRecord,
  ClientAdminStore,
  ClientRecord,
  NonceStore,
  RequestTokenRecord,
  TokenExchange,
  TokenStore,
} from '@x/oauth1-core'
import { testCertificatePem } from '@x/oauth1-testkit'
import { beforeEach, describe, expect, it } from 'vitest'
import { sha256Hex, sleep, TestClock } from './helpers.ts'

export type ConformingStore = ClientAdminStore & NonceStore & TokenStore

export interface StoreHarness {
  readonly name: string
  /** A fresh, empty store on this clock. */
  create(now: () => number): ConformingStore | Promise<ConformingStore>
  /** Whether nonce TTLs run on the server's real clock (then the suite waits for them). */
  readonly realTimeNonceTtl: boolean
}

function isAuthorized(record: RequestTokenRecord | undefined): boolean {
  return (
    record !== undefined && (record.verifier !== undefined || record.verifierHash !== undefined)
  )
}

/** The verifier bound to a record, as the store keeps it (itself, or its SHA-256). */
function expectVerifier(record: RequestTokenRecord | undefined, verifier: string): void {
  expect(record).toBeDefined()
  if (record?.verifier !== undefined) expect(record.verifier).toBe(verifier)
  else expect(record?.verifierHash).toBe(sha256Hex(verifier))
}

const byKey = <T extends { clientKey: string }>(list: T[]): T[] =>
  [...list].sort((a, b) => (a.clientKey < b.clientKey ? -1 : 1))
const tokensOf = (list: AccessTokenRecord[]): string[] => list.map((r) => r.token).sort()

export function describeStoreConformance(harness: StoreHarness): void {
  describe(`store conformance: ${harness.name}`, () => {
    let clock: TestClock
    let store: ConformingStore

    beforeEach(async () => {
      clock = new TestClock()
      store = await harness.create(clock.now)
    })

    const requestToken = (
      token: string,
      overrides: Partial<RequestTokenRecord> = {},
    ): RequestTokenRecord => ({
      token,
      secret: `${token}-secret`,
      clientKey: 'client-a',
      callback: 'https://client.example/cb?x=1',
      realms: ['photos', 'profile'],
      createdAt: clock.now(),
      expiresAt: clock.now() + 1_800_000,
      ...overrides,
    })

    const accessToken = (
      token: string,
      overrides: Partial<AccessTokenRecord> = {},
    ): AccessTokenRecord => ({
      token,
      secret: `${token}-secret`,
      clientKey: 'client-a',
      resourceOwner: 'alice',
      realms: ['photos'],
      createdAt: clock.now(),
      ...overrides,
    })

    const authorized = async (token: string, verifier = `${token}-verifier`): Promise<void> => {
      await store.saveRequestToken(requestToken(token), 1800)
      expect(
        await store.authorizeRequestToken(token, {
          verifier,
          resourceOwner: 'alice',
          realms: ['photos'],
        }),
      ).toBe(true)
    }

    describe('clients', () => {
      const client: ClientRecord = {
        clientKey: 'client-a',
        clientSecret: 'secret-a',
        rsaPublicKey: testCertificatePem(),
        name: 'Client A',
        callbackUris: ['https://client.example/cb'],
        defaultRealms: ['photos'],
        allowedRealms: ['photos', 'profile'],
        disabled: false,
        metadata: { owner: 'dev@example.com' },
      }

      it('answers undefined for an unknown client', async () => {
        expect(await store.getClient('nobody')).toBeUndefined()
      })

      it('saves and reads a client with every field, RSA public key included', async () => {
        await store.saveClient(client)
        expect(await store.getClient('client-a')).toEqual(client)
      })

      it('replaces a client on save', async () => {
        await store.saveClient(client)
        await store.saveClient({ clientKey: 'client-a', clientSecret: 'rotated', disabled: true })
        expect(await store.getClient('client-a')).toEqual({
          clientKey: 'client-a',
          clientSecret: 'rotated',
          disabled: true,
        })
      })

      it('refuses a client without a clientKey (TypeError)', async () => {
        await expect(async () =>
          store.saveClient({ clientSecret: 'x' } as unknown as ClientRecord),
        ).rejects.toThrow(TypeError)
        await expect(async () => store.saveClient({ clientKey: '' })).rejects.toThrow(TypeError)
      })

      it('lists and deletes clients', async () => {
        await store.saveClient(client)
        await store.saveClient({ clientKey: 'client-b', clientSecret: 'secret-b' })
        await store.saveClient({ clientKey: 'client-c', clientSecret: 'secret-c' })
        expect(byKey(await store.listClients()).map((c) => c.clientKey)).toEqual([
          'client-a',
          'client-b',
          'client-c',
        ])
        expect(await store.deleteClient('client-b')).toBe(true)
        expect(await store.deleteClient('client-b')).toBe(false)
        expect(await store.deleteClient('nobody')).toBe(false)
        expect(await store.getClient('client-b')).toBeUndefined()
        expect(byKey(await store.listClients())).toEqual([
          client,
          { clientKey: 'client-c', clientSecret: 'secret-c' },
        ])
      })

      it('keys clients exactly (no prefix or pattern matching)', async () => {
        await store.saveClient({ clientKey: 'a*', clientSecret: '1' })
        await store.saveClient({ clientKey: 'a{b}c', clientSecret: '2' })
        expect(await store.getClient('a')).toBeUndefined()
        expect(await store.getClient('ab')).toBeUndefined()
        expect((await store.getClient('a{b}c'))?.clientSecret).toBe('2')
        expect((await store.getClient('a*'))?.clientSecret).toBe('1')
      })
    })

    describe('nonces', () => {
      const key = { clientKey: 'client-a', timestamp: '1700000000', nonce: 'n1', token: 'tok' }

      it('claims a nonce once', async () => {
        expect(await store.claimNonce(key, 600)).toBe(true)
        expect(await store.claimNonce(key, 600)).toBe(false)
        expect(await store.claimNonce({ ...key }, 600)).toBe(false)
      })

      it('tells nonces apart by client, timestamp, nonce and token', async () => {
        expect(await store.claimNonce(key, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, clientKey: 'client-b' }, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, timestamp: '1700000001' }, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, nonce: 'n2' }, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, token: 'other' }, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, token: undefined }, 600)).toBe(true)
        expect(await store.claimNonce({ ...key, token: undefined }, 600)).toBe(false)
      })

      it('keeps the parts unambiguous whatever characters they hold', async () => {
        expect(await store.claimNonce({ clientKey: 'ab', timestamp: '1', nonce: 'c' }, 600)).toBe(
          true,
        )
        expect(await store.claimNonce({ clientKey: 'a', timestamp: '1', nonce: 'bc' }, 600)).toBe(
          true,
        )
        expect(
          await store.claimNonce({ clientKey: 'a', token: 'b', timestamp: '1', nonce: 'c' }, 600),
        ).toBe(true)
        expect(
          await store.claimNonce({ clientKey: 'a:', token: '', timestamp: '1', nonce: 'c' }, 600),
        ).toBe(true)
      })

      it('forgets a nonce after its TTL, not before', async () => {
        expect(await store.claimNonce(key, 1)).toBe(true)
        clock.advance(500)
        expect(await store.claimNonce(key, 1)).toBe(false)
        clock.advance(1600)
        if (harness.realTimeNonceTtl) await sleep(1100)
        expect(await store.claimNonce(key, 1)).toBe(true)
        expect(await store.claimNonce(key, 1)).toBe(false)
      })

      it('grants exactly one of many concurrent claims', async () => {
        const results = await Promise.all(
          Array.from({ length: 100 }, async () => store.claimNonce(key, 600)),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
      })
    })

    describe('request tokens', () => {
      it('saves and reads a request token', async () => {
        const record = requestToken('rt1')
        await store.saveRequestToken(record, 1800)
        expect(await store.getRequestToken('rt1')).toEqual(record)
        expect(isAuthorized(await store.getRequestToken('rt1'))).toBe(false)
        expect(await store.getRequestToken('rt2')).toBeUndefined()
      })

      it('expires at the earlier of the record expiry and the TTL', async () => {
        await store.saveRequestToken(requestToken('short', { expiresAt: clock.now() + 10_000 }), 60)
        await store.saveRequestToken(requestToken('ttl', { expiresAt: clock.now() + 600_000 }), 60)
        expect((await store.getRequestToken('short'))?.expiresAt).toBe(clock.now() + 10_000)
        expect((await store.getRequestToken('ttl'))?.expiresAt).toBe(clock.now() + 60_000)
        clock.advance(9_999)
        expect(await store.getRequestToken('short')).toBeDefined()
        clock.advance(1)
        expect(await store.getRequestToken('short')).toBeUndefined()
        expect(await store.getRequestToken('ttl')).toBeDefined()
        clock.advance(50_000)
        expect(await store.getRequestToken('ttl')).toBeUndefined()
      })

      it('replaces a request token saved again, authorization included', async () => {
        await authorized('rt1')
        await store.saveRequestToken(requestToken('rt1', { callback: 'oob' }), 1800)
        const record = await store.getRequestToken('rt1')
        expect(record?.callback).toBe('oob')
        expect(isAuthorized(record)).toBe(false)
      })

      it('deletes a request token', async () => {
        await store.saveRequestToken(requestToken('rt1'), 1800)
        await store.deleteRequestToken('rt1')
        await store.deleteRequestToken('never-there')
        expect(await store.getRequestToken('rt1')).toBeUndefined()
      })

      it('authorizes a request token once, binding verifier, user and realms', async () => {
        await store.saveRequestToken(requestToken('rt1'), 1800)
        const grant = { verifier: 'v-1', resourceOwner: 'alice', realms: ['photos'] }
        expect(await store.authorizeRequestToken('rt1', grant)).toBe(true)
        const record = await store.getRequestToken('rt1')
        expectVerifier(record, 'v-1')
        expect(record?.resourceOwner).toBe('alice')
        expect(record?.realms).toEqual(['photos'])
        expect(record?.clientKey).toBe('client-a')
        expect(
          await store.authorizeRequestToken('rt1', {
            verifier: 'v-2',
            resourceOwner: 'mallory',
            realms: ['photos', 'profile'],
          }),
        ).toBe(false)
        const after = await store.getRequestToken('rt1')
        expectVerifier(after, 'v-1')
        expect(after?.resourceOwner).toBe('alice')
        expect(after?.realms).toEqual(['photos'])
      })

      it('authorizes without a user', async () => {
        await store.saveRequestToken(requestToken('rt1'), 1800)
        expect(await store.authorizeRequestToken('rt1', { verifier: 'v', realms: [] })).toBe(true)
        const record = await store.getRequestToken('rt1')
        expect(record?.resourceOwner).toBeUndefined()
        expect(record?.realms).toEqual([])
      })

      it('refuses to authorize an unknown or expired request token', async () => {
        const grant = { verifier: 'v', resourceOwner: 'alice', realms: [] }
        expect(await store.authorizeRequestToken('nope', grant)).toBe(false)
        await store.saveRequestToken(requestToken('rt1'), 60)
        clock.advance(60_000)
        expect(await store.authorizeRequestToken('rt1', grant)).toBe(false)
      })

      it('grants exactly one of many concurrent authorizations', async () => {
        await store.saveRequestToken(requestToken('rt1'), 1800)
        const results = await Promise.all(
          Array.from({ length: 50 }, async (_, i) =>
            store.authorizeRequestToken('rt1', {
              verifier: `v-${i}`,
              resourceOwner: `user-${i}`,
              realms: [],
            }),
          ),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const winner = results.indexOf(true)
        const record = await store.getRequestToken('rt1')
        expectVerifier(record, `v-${winner}`)
        expect(record?.resourceOwner).toBe(`user-${winner}`)
      })
    })

    describe('exchange', () => {
      const exchange = (overrides: Partial<TokenExchange>): TokenExchange => ({
        requestToken: 'rt1',
        clientKey: 'client-a',
        verifier: 'rt1-verifier',
        accessToken: accessToken('at1'),
        ...overrides,
      })

      it('exchanges an authorized request token for an access token, once', async () => {
        await authorized('rt1')
        expect(await store.exchangeRequestToken(exchange({}))).toBe(true)
        expect(await store.getRequestToken('rt1')).toBeUndefined()
        expect(await store.getAccessToken('at1')).toEqual(accessToken('at1'))
        expect(tokensOf(await store.listAccessTokens({ clientKey: 'client-a' }))).toEqual(['at1'])
        expect(tokensOf(await store.listAccessTokens({ resourceOwner: 'alice' }))).toEqual(['at1'])
        expect(
          await store.exchangeRequestToken(exchange({ accessToken: accessToken('at2') })),
        ).toBe(false)
        expect(await store.getAccessToken('at2')).toBeUndefined()
      })

      it('refuses a wrong verifier, another client, an unauthorized or unknown token', async () => {
        await authorized('rt1')
        await store.saveRequestToken(requestToken('rt2'), 1800)
        expect(await store.exchangeRequestToken(exchange({ verifier: 'wrong' }))).toBe(false)
        expect(await store.exchangeRequestToken(exchange({ verifier: '' }))).toBe(false)
        expect(await store.exchangeRequestToken(exchange({ clientKey: 'client-b' }))).toBe(false)
        expect(
          await store.exchangeRequestToken(exchange({ requestToken: 'rt2', verifier: '' })),
        ).toBe(false)
        expect(await store.exchangeRequestToken(exchange({ requestToken: 'nope' }))).toBe(false)
        expect(await store.getAccessToken('at1')).toBeUndefined()
        expect(await store.listAccessTokens({ clientKey: 'client-a' })).toEqual([])
        // The failed attempts spent nothing.
        expect(isAuthorized(await store.getRequestToken('rt1'))).toBe(true)
        expect(await store.exchangeRequestToken(exchange({}))).toBe(true)
      })

      it('refuses an expired request token', async () => {
        await authorized('rt1')
        clock.advance(1_800_000)
        expect(await store.exchangeRequestToken(exchange({}))).toBe(false)
        expect(await store.getAccessToken('at1')).toBeUndefined()
      })

      it('exchanges a token saved with its verifier already set', async () => {
        await store.saveRequestToken(
          requestToken('rt1', { verifier: 'rt1-verifier', resourceOwner: 'alice' }),
          1800,
        )
        expect(isAuthorized(await store.getRequestToken('rt1'))).toBe(true)
        expect(await store.exchangeRequestToken(exchange({}))).toBe(true)
      })

      it('issues exactly one access token under concurrent exchanges', async () => {
        await authorized('rt1')
        const results = await Promise.all(
          Array.from({ length: 50 }, async (_, i) =>
            store.exchangeRequestToken(exchange({ accessToken: accessToken(`at-${i}`) })),
          ),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const listed = await store.listAccessTokens({ clientKey: 'client-a' })
        expect(tokensOf(listed)).toEqual([`at-${results.indexOf(true)}`])
      })
    })

    describe('access tokens', () => {
      it('saves, reads and revokes an access token', async () => {
        const record = accessToken('at1', { realms: ['photos', 'profile'] })
        await store.saveAccessToken(record)
        expect(await store.getAccessToken('at1')).toEqual(record)
        expect(await store.getAccessToken('at2')).toBeUndefined()
        expect(await store.revokeAccessToken('at1')).toBe(true)
        expect(await store.revokeAccessToken('at1')).toBe(false)
        expect(await store.revokeAccessToken('never-there')).toBe(false)
        expect(await store.getAccessToken('at1')).toBeUndefined()
        expect(await store.listAccessTokens({ clientKey: 'client-a' })).toEqual([])
        expect(await store.listAccessTokens({ resourceOwner: 'alice' })).toEqual([])
      })

      it('keeps a token without expiry, and drops one whose expiry passed', async () => {
        await store.saveAccessToken(accessToken('forever'))
        await store.saveAccessToken(accessToken('brief', { expiresAt: clock.now() + 5_000 }))
        clock.advance(4_999)
        expect(await store.getAccessToken('brief')).toBeDefined()
        clock.advance(1)
        expect(await store.getAccessToken('brief')).toBeUndefined()
        expect(await store.getAccessToken('forever')).toBeDefined()
        expect(tokensOf(await store.listAccessTokens({ clientKey: 'client-a' }))).toEqual([
          'forever',
        ])
      })

      it('lists by client, by user, by both and all', async () => {
        await store.saveAccessToken(accessToken('a-alice'))
        await store.saveAccessToken(accessToken('a-bob', { resourceOwner: 'bob' }))
        await store.saveAccessToken(accessToken('a-none', { resourceOwner: undefined }))
        await store.saveAccessToken(accessToken('b-alice', { clientKey: 'client-b' }))
        expect(tokensOf(await store.listAccessTokens({ clientKey: 'client-a' }))).toEqual([
          'a-alice',
          'a-bob',
          'a-none',
        ])
        expect(tokensOf(await store.listAccessTokens({ clientKey: 'client-b' }))).toEqual([
          'b-alice',
        ])
        expect(tokensOf(await store.listAccessTokens({ resourceOwner: 'alice' }))).toEqual([
          'a-alice',
          'b-alice',
        ])
        expect(
          tokensOf(await store.listAccessTokens({ clientKey: 'client-a', resourceOwner: 'alice' })),
        ).toEqual(['a-alice'])
        expect(tokensOf(await store.listAccessTokens({}))).toEqual([
          'a-alice',
          'a-bob',
          'a-none',
          'b-alice',
        ])
        expect(await store.listAccessTokens({ clientKey: 'client-z' })).toEqual([])
        expect(await store.listAccessTokens({ resourceOwner: 'zed' })).toEqual([])
        const listed = await store.listAccessTokens({ clientKey: 'client-b' })
        expect(listed).toEqual([accessToken('b-alice', { clientKey: 'client-b' })])
      })

      it('lists a replaced token under its new client and user only', async () => {
        await store.saveAccessToken(accessToken('at1'))
        await store.saveAccessToken(
          accessToken('at1', { clientKey: 'client-b', resourceOwner: 'bob' }),
        )
        expect(await store.listAccessTokens({ clientKey: 'client-a' })).toEqual([])
        expect(await store.listAccessTokens({ resourceOwner: 'alice' })).toEqual([])
        expect(tokensOf(await store.listAccessTokens({ clientKey: 'client-b' }))).toEqual(['at1'])
        expect(tokensOf(await store.listAccessTokens({ resourceOwner: 'bob' }))).toEqual(['at1'])
      })
    })
  })
}
