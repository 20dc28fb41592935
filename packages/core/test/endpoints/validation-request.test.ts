import {
  Client,
  createOAuthRequest,
  createRequestValidator,
  MemoryStore,
  type RequestValidator,
  ResourceEndpoint,
  type ValidationRequest,
} from '@x/oauth1-core'
import { describe, expect, test } from 'vitest'

// What validators see: the ValidationRequest contract as own, enumerable data, so that a
// validator may copy it (`{ ...r }`) or log it; and the signature checked over the request
// as received, whatever a validator does to the fields it is handed.

const CLIENT = { clientKey: 'client-key-0123456789', clientSecret: 'client-secret' }
const TOKEN = { token: 'access-token-012345678', secret: 'token-secret' }
const URL_ = 'https://api.example.com/photos?size=original&tag=caf%C3%A9'

async function setup(wrap: (v: RequestValidator) => RequestValidator) {
  const store = new MemoryStore()
  store.saveClient(CLIENT)
  store.saveAccessToken({
    token: TOKEN.token,
    secret: TOKEN.secret,
    clientKey: CLIENT.clientKey,
    realms: [],
    createdAt: Date.now(),
  })
  const validator = wrap(createRequestValidator({ clients: store, nonces: store, tokens: store }))
  const signed = await new Client({
    clientKey: CLIENT.clientKey,
    clientSecret: CLIENT.clientSecret,
    resourceOwnerKey: TOKEN.token,
    resourceOwnerSecret: TOKEN.secret,
  }).sign(URL_)
  const request = createOAuthRequest({ method: 'GET', url: signed.uri, headers: signed.headers })
  return { endpoint: new ResourceEndpoint(validator, { onWarning: () => {} }), request }
}

describe('the ValidationRequest handed to validators', () => {
  test('holds every field of the contract as own data, kept by a copy', async () => {
    let seen: ValidationRequest | undefined
    const { endpoint, request } = await setup((v) =>
      Object.assign(Object.create(v) as RequestValidator, {
        validateClientKey: (key: string, r: ValidationRequest) => {
          seen = r
          return v.validateClientKey(key, r)
        },
      }),
    )
    const result = await endpoint.validateProtectedResourceRequest(request)
    expect(result.ok).toBe(true)
    const copy = { ...(seen as ValidationRequest) }
    for (const field of [
      'method',
      'url',
      'headers',
      'body',
      'clientKey',
      'resourceOwnerKey',
      'nonce',
      'timestamp',
      'signatureMethod',
      'signature',
      'redirectUri',
      'verifier',
      'realms',
      'oauthParams',
      'params',
      'signatureType',
      'resourceOwner',
      'state',
    ]) {
      expect(Object.hasOwn(copy, field), field).toBe(true)
    }
    expect(copy.state).toBeInstanceOf(Map)
    expect(copy.params).toContainEqual(['tag', 'café'])
    expect(copy.params.some(([name]) => name === 'oauth_signature')).toBe(false)
  })

  test('a validator that edits the parameters it sees cannot change what is verified', async () => {
    const { endpoint, request } = await setup((v) =>
      Object.assign(Object.create(v) as RequestValidator, {
        validateClientKey: (key: string, r: ValidationRequest) => {
          // A buggy validator rewriting the signed parameters in place.
          const params = r.params as [string, string][]
          for (const pair of params) if (pair[0] === 'size') pair[1] = 'thumbnail'
          params.push(['extra', '1'])
          return v.validateClientKey(key, r)
        },
      }),
    )
    const result = await endpoint.validateProtectedResourceRequest(request)
    expect(result.ok).toBe(true)
  })
})
