import {
  baseStringUri,
  collectParameters,
  normalizeParameters,
  ParameterRejectedError,
  signatureBaseString,
} from '@x/oauth1-core'
import { type Vector, vectorGroup } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { named, type Pair, sortedPairs } from './support.ts'

interface BaseStringUriVector extends Vector {
  readonly uri: string
  readonly host: string | null
  readonly expected?: string
  readonly expected_error?: 'missing scheme' | 'missing host' | 'invalid port'
}

interface ParameterCollectionVector extends Vector {
  readonly uri_query: string
  readonly body: string
  readonly content_type: string | null
  readonly authorization: string | null
  readonly authorization_header_name?: string
  readonly options: { readonly exclude_oauth_signature: boolean; readonly with_realm: boolean }
  readonly expected_params: Pair[]
}

interface NormalizedParametersVector extends Vector {
  readonly params: Pair[]
  readonly expected: string
}

interface SignatureBaseStringVector extends Vector {
  readonly http_method: string
  readonly base_string_uri: string
  readonly normalized_parameters: string
  readonly expected: string
}

describe('base_string_uri (RFC 5849 §3.4.1.2)', () => {
  const vectors = vectorGroup<BaseStringUriVector>('base_string_uri')

  it.each(
    named(
      vectors.filter((v) => v.expected_error === undefined),
      (v) => `${v.id}: baseStringUri(${JSON.stringify(v.uri)}, ${JSON.stringify(v.host)})`,
    ),
  )('%s', (_, v) => {
    expect(baseStringUri(v.uri, v.host)).toBe(v.expected)
  })

  it.each(
    named(
      vectors.filter((v) => v.expected_error !== undefined),
      (v) => `${v.id}: baseStringUri(${JSON.stringify(v.uri)}) throws "${v.expected_error}"`,
    ),
  )('%s', (_, v) => {
    let caught: unknown
    try {
      baseStringUri(v.uri, v.host)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ParameterRejectedError)
    expect((caught as ParameterRejectedError).message).toBe(v.expected_error)
    expect((caught as ParameterRejectedError).status).toBe(400)
  })
})

describe('parameter_collection (RFC 5849 §3.4.1.3.1)', () => {
  // Values are decoded once (DESIGN decision 1). None of these vectors has an oauth_ value
  // in the query or body, so none depends on oauthlib's second decoding pass.
  const vectors = vectorGroup<ParameterCollectionVector>('parameter_collection')
  it.each(named(vectors, (v) => v.id))('%s', (_, v) => {
    const headers: Record<string, string> = {}
    if (v.authorization !== null) {
      headers[v.authorization_header_name ?? 'Authorization'] = v.authorization
    }
    if (v.content_type !== null) headers['Content-Type'] = v.content_type
    const collected = collectParameters({
      uriQuery: v.uri_query,
      body: v.body,
      headers,
      excludeOauthSignature: v.options.exclude_oauth_signature,
      withRealm: v.options.with_realm,
    })
    expect(sortedPairs(collected)).toEqual(sortedPairs(v.expected_params))
  })

  // Not a vector: pins DESIGN decision 1 where oauthlib would differ. oauthlib decodes an
  // oauth_* value from the query or body a second time ('http%3A%2F%2Fx' -> 'http://x').
  it('oauth_ value from the query is decoded once (deviation, DESIGN decision 1)', () => {
    expect(collectParameters({ uriQuery: 'oauth_callback=http%253A%252F%252Fx' })).toEqual([
      ['oauth_callback', 'http%3A%2F%2Fx'],
    ])
    expect(
      collectParameters({
        body: 'oauth_callback=http%253A%252F%252Fx',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ).toEqual([['oauth_callback', 'http%3A%2F%2Fx']])
  })
})

describe('normalized_parameters (RFC 5849 §3.4.1.3.2)', () => {
  const vectors = vectorGroup<NormalizedParametersVector>('normalized_parameters')
  it.each(named(vectors, (v) => v.id))('%s', (_, v) => {
    expect(normalizeParameters(v.params)).toBe(v.expected)
    // The order of the input never matters.
    expect(normalizeParameters([...v.params].reverse())).toBe(v.expected)
  })
})

describe('signature_base_string (RFC 5849 §3.4.1.1)', () => {
  const vectors = vectorGroup<SignatureBaseStringVector>('signature_base_string')
  it.each(named(vectors, (v) => `${v.id}: method ${v.http_method}`))('%s', (_, v) => {
    expect(signatureBaseString(v.http_method, v.base_string_uri, v.normalized_parameters)).toBe(
      v.expected,
    )
  })
})
