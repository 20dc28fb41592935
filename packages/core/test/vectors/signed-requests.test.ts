import {
  baseStringUri,
  collectParameters,
  normalizeParameters,
  parseAuthorizationHeader,
  signatureBaseString,
} from '@x/oauth1-core/signature'
import { type Vector, vectorGroup, vectorKey } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { named, type Pair, signatureImpls, sortedPairs } from './support.ts'

interface SignedRequestVector extends Vector {
  readonly http_method: string
  readonly uri: string
  readonly host: string | null
  readonly params: Pair[]
  readonly signature_method: string
  readonly client_secret: string | null
  readonly token_secret: string | null
  readonly authorization?: string
  readonly public_key?: string
  readonly verify_only?: boolean
  readonly expected_signature: string
  readonly expected_base_string?: string
}

const vectors = vectorGroup<SignedRequestVector>('signed_requests')

function rebuildBaseString(v: SignedRequestVector): string {
  return signatureBaseString(
    v.http_method,
    baseStringUri(v.uri, v.host),
    normalizeParameters(v.params),
  )
}

// Every value in these vectors is decoded once (DESIGN decision 1); none of them carries an
// oauth_ value in the query or body whose expectation would depend on oauthlib's second
// decoding pass, so no vector here is a deviation.
describe.each(named(signatureImpls, (impl) => impl.name))('signed_requests, %s', (_, impl) => {
  const cases = named(vectors, (v) => `${v.id} (${v.signature_method} ${v.http_method})`)
  it.each(cases)('%s', async (_, v) => {
    const baseString = rebuildBaseString(v)
    if (v.expected_base_string !== undefined) expect(baseString).toBe(v.expected_base_string)
    const secrets = { clientSecret: v.client_secret, tokenSecret: v.token_secret }
    if (v.verify_only) {
      // The private half of this key was never published: verification only.
      expect(v.public_key).toBeDefined()
    } else {
      expect(await impl.sign(v.signature_method, { baseString, ...secrets })).toBe(
        v.expected_signature,
      )
    }
    const verified = await impl.verify(v.signature_method, {
      baseString,
      signature: v.expected_signature,
      ...secrets,
      ...(v.public_key === undefined ? {} : { publicKey: vectorKey(v.public_key) }),
    })
    expect(verified).toBe(true)
  })
})

describe('signed_requests, parameters from the Authorization header', () => {
  it.each(
    named(
      vectors.filter((v) => v.authorization !== undefined),
      (v) =>
        `${v.id}: header params are the signed params; oauth_signature decodes to the signature`,
    ),
  )('%s', (_, v) => {
    const authorization = v.authorization ?? ''
    const queryIndex = v.uri.indexOf('?')
    const uriQuery = queryIndex === -1 ? '' : v.uri.slice(queryIndex + 1)
    const collected = collectParameters({ uriQuery, headers: { Authorization: authorization } })
    expect(sortedPairs(collected)).toEqual(sortedPairs(v.params))
    const signature = parseAuthorizationHeader(authorization).params.find(
      ([name]) => name === 'oauth_signature',
    )
    expect(signature?.[1]).toBe(v.expected_signature)
    // The server-side view of the request rebuilds the same base string.
    expect(
      signatureBaseString(
        v.http_method,
        baseStringUri(v.uri, v.host),
        normalizeParameters(collected),
      ),
    ).toBe(rebuildBaseString(v))
  })
})
