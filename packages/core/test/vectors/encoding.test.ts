import { escape, formatForm, ParameterRejectedError, parseForm, unescape } from '@x/oauth1-core'
import { Client } from '@x/oauth1-core/signature'
import { type Vector, vectorGroup } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { named, type Pair, vectorById } from './support.ts'

interface EncodingVector extends Vector {
  readonly input: string
  readonly expected: string
}

interface FormDecodingVector extends Vector {
  readonly input: string
  readonly expected?: Pair[]
  readonly expected_error?: true
}

type LoosePair = [string, string | number]

interface RenderingVector extends Vector {
  readonly kind: 'append' | 'form_body' | 'query'
  readonly oauth_params: LoosePair[]
  readonly existing_params?: LoosePair[]
  readonly existing_body?: string
  readonly uri?: string
  readonly expected: string | LoosePair[]
}

const text = (pairs: readonly LoosePair[]): Pair[] =>
  pairs.map(([name, value]): Pair => [name, String(value)])

// oauthlib's `_append_params` rule: a stable sort that puts every non-oauth_ pair before
// every oauth_ pair. It is the order these vectors expect; our renderers take ordered
// pairs, so the rule is spelled out here.
const oauthLast = (pairs: readonly Pair[]): Pair[] => [
  ...pairs.filter(([name]) => !name.startsWith('oauth_')),
  ...pairs.filter(([name]) => name.startsWith('oauth_')),
]

describe('percent_encoding (RFC 5849 §3.6)', () => {
  const vectors = vectorGroup<EncodingVector>('percent_encoding')
  it.each(named(vectors, (v) => `${v.id}: escape(${JSON.stringify(v.input)})`))('%s', (_, v) => {
    expect(escape(v.input)).toBe(v.expected)
  })
})

describe('percent_decoding (RFC 5849 §3.6; "+" is not a space)', () => {
  const vectors = vectorGroup<EncodingVector>('percent_decoding')
  it.each(named(vectors, (v) => `${v.id}: unescape(${JSON.stringify(v.input)})`))('%s', (_, v) => {
    expect(unescape(v.input)).toBe(v.expected)
  })
})

// Ours accepts every printable character in form data (oauthlib rejects a fixed list such
// as "[ ] { } |"), and rejects raw whitespace, control characters and invalid escapes with
// ParameterRejectedError. Every expected_error vector here is whitespace or an invalid
// escape, so all of them throw in ours too: none is a deviation.
describe('form_decoding (application/x-www-form-urlencoded)', () => {
  const vectors = vectorGroup<FormDecodingVector>('form_decoding')

  it.each(
    named(
      vectors.filter((v) => v.expected_error !== true),
      (v) => `${v.id}: parseForm(${JSON.stringify(v.input)}) decodes`,
    ),
  )('%s', (_, v) => {
    expect(parseForm(v.input)).toEqual(v.expected)
  })

  it.each(
    named(
      vectors.filter((v) => v.expected_error === true),
      (v) => `${v.id}: parseForm(${JSON.stringify(v.input)}) throws ParameterRejectedError`,
    ),
  )('%s', (_, v) => {
    expect(() => parseForm(v.input)).toThrow(ParameterRejectedError)
  })
})

describe('form_body_and_query_rendering', () => {
  // No public function appends arbitrary pairs (oauthlib's internal `_append_params`). The
  // public behaviour that does it is Client.sign: the body (BODY) or query (QUERY) is
  // rendered as the existing params, in order, followed by the client's own oauth_* params.
  // The client cannot emit rb-01's made-up pairs ("lala", "oauth_foo", ...), so the test
  // checks rb-01's order for the part the client does control: the existing params come
  // first and unchanged, in rb-01's expected relative order, and only oauth_* pairs follow.
  it('rb-01 (append, through Client.sign with signatureType BODY and QUERY)', async () => {
    const v = vectorById<RenderingVector>('form_body_and_query_rendering', 'rb-01')
    expect(v.kind).toBe('append')
    const existing = text(v.existing_params ?? [])
    const expected = text(v.expected as LoosePair[])
    // The existing pairs, in the order rb-01 expects them.
    const existingInExpectedOrder = expected.filter(([n, val]) =>
      existing.some(([en, ev]) => en === n && ev === val),
    )
    expect(existingInExpectedOrder).toEqual(existing)

    const options = { clientKey: 'client_key', nonce: 'abc', timestamp: '1234567890' }
    const viaBody = await new Client({ ...options, signatureType: 'BODY' }).sign('http://i.b/p', {
      method: 'POST',
      body: formatForm(existing),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    const viaQuery = await new Client({ ...options, signatureType: 'QUERY' }).sign(
      `http://i.b/p?${formatForm(existing)}`,
      { method: 'POST' },
    )
    const queryOf = (uri: string): string => uri.slice(uri.indexOf('?') + 1)
    for (const rendered of [parseForm(viaBody.body ?? ''), parseForm(queryOf(viaQuery.uri))]) {
      expect(rendered.slice(0, existing.length)).toEqual(existingInExpectedOrder)
      const appended = rendered.slice(existing.length)
      expect(appended.map(([n]) => n)).toEqual([
        'oauth_nonce',
        'oauth_timestamp',
        'oauth_version',
        'oauth_signature_method',
        'oauth_consumer_key',
        'oauth_signature',
      ])
      // Already in the "non-oauth_ first" order, so oauthlib's stable sort would keep it.
      expect(oauthLast(rendered)).toEqual(rendered)
    }
  })

  // form_body: formatForm renders the pairs; the order is oauthlib's (existing body, then
  // the params with non-oauth_ pairs first).
  it('rb-02 (form_body, through formatForm)', () => {
    const v = vectorById<RenderingVector>('form_body_and_query_rendering', 'rb-02')
    expect(v.kind).toBe('form_body')
    const existing = parseForm(v.existing_body ?? '')
    expect(formatForm(oauthLast([...existing, ...text(v.oauth_params)]))).toBe(v.expected)
  })

  // query: Client with signatureType QUERY cannot render arbitrary params, so the closest
  // public behaviour is formatForm on the params appended after the URI's existing query.
  it('rb-03 (query, through formatForm appended to the existing query)', () => {
    const v = vectorById<RenderingVector>('form_body_and_query_rendering', 'rb-03')
    expect(v.kind).toBe('query')
    const uri = v.uri ?? ''
    const existingQuery = uri.slice(uri.indexOf('?') + 1)
    const ordered = oauthLast([...parseForm(existingQuery), ...text(v.oauth_params)])
    expect(`${uri.slice(0, uri.indexOf('?'))}?${formatForm(ordered)}`).toBe(v.expected)
  })

  it('covers every vector of the group', () => {
    expect(vectorGroup('form_body_and_query_rendering').map((v) => v.id)).toEqual([
      'rb-01',
      'rb-02',
      'rb-03',
    ])
  })
})
