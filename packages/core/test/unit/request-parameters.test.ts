import {
  baseStringUri,
  collectParameters,
  escape,
  normalizeParameters,
  OAuth1Error,
  type Param,
  ParameterRejectedError,
  parseAuthorizationHeader,
  parseForm,
  readRequestParameters,
  signatureBaseString,
} from '@x/oauth1-core'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

// readRequestParameters builds the base string from the raw text where the raw text is
// already canonical, and from the decoded text otherwise. Whatever the client's encoding
// (lower-case hex, unreserved characters encoded, `+` for spaces), the result must be the
// base string the primitives build from the decoded parameters.

const FORM = 'application/x-www-form-urlencoded'

/** The reference: RFC 5849 §3.4.1 through the primitives, from decoded parameters. */
function reference(method: string, url: string, headers: Record<string, string>, body?: string) {
  // The query ends at the fragment, and a `?` inside the fragment starts none.
  const beforeFragment = url.split('#')[0] as string
  const q = beforeFragment.indexOf('?')
  const params = collectParameters({
    uriQuery: q === -1 ? undefined : beforeFragment.slice(q + 1),
    headers,
    body,
  })
  return signatureBaseString(method, baseStringUri(url), normalizeParameters(params))
}

/** One octet of UTF-8 as a client may encode it: canonical, lower-case, or (if allowed) raw. */
function octetEncodings(byte: number): string[] {
  const hex = byte.toString(16).padStart(2, '0')
  const forms = [`%${hex.toUpperCase()}`, `%${hex.toLowerCase()}`]
  const c = String.fromCharCode(byte)
  if (byte < 0x80 && /[A-Za-z0-9\-._~]/.test(c)) forms.push(c)
  // Sub-delims and a few others are sent raw by some clients in a query.
  if (byte < 0x80 && /[!$'()*,;:@/?]/.test(c)) forms.push(c)
  return forms
}

/**
 * Encodes `text` the way a sloppy client might, choosing an encoding per octet. In form
 * text a space may be `+`, and a value (after its pair's first `=`) may hold a raw `=`.
 */
const sloppy = (text: string, form: boolean, value = false): fc.Arbitrary<string> => {
  const bytes = [...new TextEncoder().encode(text)]
  if (bytes.length === 0) return fc.constant('')
  return fc
    .tuple(
      ...bytes.map((b) =>
        fc.constantFrom(
          ...octetEncodings(b),
          ...(form && b === 0x20 ? ['+'] : []),
          ...(form && value && b === 0x3d ? ['='] : []),
        ),
      ),
    )
    .map((parts) => parts.join(''))
}

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
  fc.constantFrom('café & crème', 'a b', '%', '+', '=', '&', '~', 'oauth_signature', 'realm'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
)
const pair = fc.tuple(text, text)

interface Built {
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  readonly decoded: { query: Param[]; header: Param[]; body: Param[] }
}

const request: fc.Arbitrary<Built> = fc
  .record({
    query: fc.array(pair, { maxLength: 5 }),
    header: fc.uniqueArray(pair, { maxLength: 6, selector: ([n]) => n }),
    body: fc.array(pair, { maxLength: 4 }),
    formBody: fc.boolean(),
    path: fc.constantFrom('/', '/photos', '/r%20v/X', '/a:b@c'),
    host: fc.constantFrom('api.example.com', 'EXAMPLE.com:8443', 'h:80', '[::1]:443'),
    scheme: fc.constantFrom('https', 'http', 'HTTPS'),
  })
  .filter(({ header }) => header.every(([n]) => n.toLowerCase() !== 'realm'))
  .chain(({ query, header, body, formBody, path, host, scheme }) =>
    fc
      .record({
        query: fc.tuple(...query.map(([n, v]) => fc.tuple(sloppy(n, true), sloppy(v, true, true)))),
        header: fc.tuple(...header.map(([n, v]) => fc.tuple(sloppy(n, false), sloppy(v, false)))),
        body: fc.tuple(...body.map(([n, v]) => fc.tuple(sloppy(n, true), sloppy(v, true, true)))),
      })
      .map((raw) => {
        const q = raw.query.map(([n, v]) => `${n}=${v}`).join('&')
        const url = `${scheme}://${host}${path}${q === '' ? '' : `?${q}`}`
        const headers: Record<string, string> = {}
        if (raw.header.length > 0) {
          // Header names are tokens: keep the generated name only where it is one.
          headers.authorization = `OAuth ${raw.header
            .map(
              ([n, v], i) =>
                `${/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(n) && !/^realm$/i.test(n) ? n : `p${i}`}="${v.replace(/["\\]/g, '\\$&')}"`,
            )
            .join(', ')}`
        }
        const rawBody = raw.body.map(([n, v]) => `${n}=${v}`).join('&')
        if (formBody) headers['content-type'] = `${FORM}; charset=utf-8`
        return {
          url,
          headers,
          body: raw.body.length > 0 ? rawBody : undefined,
          decoded: { query, header, body },
        }
      }),
  )

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() }
  } catch (error) {
    return { ok: false, error }
  }
}

describe('readRequestParameters', () => {
  test('builds the base string the primitives build, whatever the encoding the client chose', () => {
    fc.assert(
      fc.property(request, fc.constantFrom('GET', 'post', 'PUT'), (r, method) => {
        const expected = attempt(() => reference(method, r.url, r.headers, r.body))
        const actual = attempt(() =>
          readRequestParameters({
            method,
            url: r.url,
            headers: r.headers,
            body: r.body,
          }).baseString(),
        )
        if (expected.ok) {
          expect(actual).toEqual(expected)
        } else {
          // Both refuse, with our typed error.
          expect(actual.ok).toBe(false)
          expect((actual as { error: unknown }).error).toBeInstanceOf(OAuth1Error)
        }
      }),
      { numRuns: 3000 },
    )
  })

  test('decodes each place as the primitives do', () => {
    fc.assert(
      fc.property(request, (r) => {
        const parsed = attempt(() =>
          readRequestParameters({ method: 'GET', url: r.url, headers: r.headers, body: r.body }),
        )
        if (!parsed.ok) return
        const q = r.url.includes('?') ? r.url.slice(r.url.indexOf('?') + 1) : ''
        expect(parsed.value.query).toEqual(parseForm(q))
        const auth = r.headers.authorization
        expect(parsed.value.header).toEqual(auth ? parseAuthorizationHeader(auth).params : [])
        expect(parsed.value.body).toEqual(
          r.body !== undefined && r.headers['content-type'] ? parseForm(r.body) : [],
        )
      }),
      { numRuns: 1000 },
    )
  })

  test('protocol names sort among query names that share their prefixes', () => {
    // Protocol names read from a canonical header carry their sort keys and separators
    // made in advance; query names are keyed per request. Mixed, they must sort as text.
    const header =
      'OAuth oauth_nonce="n", oauth_token="t", oauth_consumer_key="c", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_version="1.0", ' +
      'oauth_signature="s%3D"'
    const queries = [
      'oauth_nonce=a',
      'oauth_noncf=b&oauth_=c&o=d',
      'oauth_nonce_x=e&oauth_token=f&oauth_tokem=g',
      'oauth_consumer_keyz=h&oauth_consumer_ke=i&oauth_version=1.1&oauth_versioN=x',
      'a=1&z=2&oauth_timestamp=0&oauth_timestamp=2',
    ]
    for (const query of queries) {
      const url = `https://api.example.com/r?${query}`
      const headers = { authorization: header }
      expect(readRequestParameters({ method: 'GET', url, headers }).baseString()).toBe(
        reference('GET', url, headers),
      )
    }
  })

  test('every escaped octet, in upper and lower case, one escape or two', () => {
    // Whether a raw value can be kept as sent is decided per escape (upper-case hex of an
    // octet that must be encoded); every octet is tried, alone and beside another escape.
    for (let octet = 0; octet < 256; octet++) {
      const hex = octet.toString(16).padStart(2, '0')
      for (const escaped of [`%${hex.toUpperCase()}`, `%${hex}`]) {
        for (const value of [escaped, `a${escaped}b`, `${escaped}%C3%A9`]) {
          const url = `https://api.example.com/r?v=${value}`
          const expected = attempt(() => reference('GET', url, {}))
          const actual = attempt(() => readRequestParameters({ method: 'GET', url }).baseString())
          if (expected.ok) expect(actual).toEqual(expected)
          else expect(actual.ok).toBe(false)
        }
      }
    }
  })

  test('the RFC 5849 §3.4.1.1 example', () => {
    const parsed = readRequestParameters({
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      headers: {
        Authorization:
          'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"',
        'Content-Type': FORM,
      },
      body: 'c2&a3=2+q',
    })
    expect(parsed.realm).toBe('Example')
    expect(parsed.baseString()).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    )
    expect(parsed.header.find(([n]) => n === 'oauth_signature')?.[1]).toBe(
      'djosJKDKJSD8743243/jdk33klY=',
    )
  })

  test('a body is signed only when it is a form', () => {
    const url = 'https://example.com/x'
    const signed = readRequestParameters({
      method: 'POST',
      url,
      headers: { 'content-type': FORM },
      body: 'a=1',
    })
    const unsigned = readRequestParameters({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: 'a=1',
    })
    expect(signed.body).toEqual([['a', '1']])
    expect(unsigned.body).toEqual([])
    expect(signed.baseString()).toBe('POST&https%3A%2F%2Fexample.com%2Fx&a%3D1')
    expect(unsigned.baseString()).toBe('POST&https%3A%2F%2Fexample.com%2Fx&')
  })

  // `=` after the first one in a pair is part of the value, and clients send it raw
  // (base64 padding, nested `k=v`): the base string must encode it (`%253D`).
  test('a raw `=` inside a query or body value is encoded in the base string', () => {
    for (const query of ['a=b=c', 't=abc==&x=1', 'a==', 'x=1&a=%20b=c', 'a=b%3D=c&d=e=']) {
      const url = `https://example.com/r?${query}`
      expect(readRequestParameters({ method: 'GET', url }).baseString()).toBe(
        reference('GET', url, {}),
      )
      const headers = { 'content-type': FORM }
      expect(
        readRequestParameters({
          method: 'POST',
          url: 'https://example.com/r',
          headers,
          body: query,
        }).baseString(),
      ).toBe(reference('POST', 'https://example.com/r', headers, query))
    }
  })

  test('routes alternate without mixing their base string URIs', () => {
    // The URI is remembered per route: alternating routes, hosts and ports must each keep theirs.
    const urls = [
      'https://a.example/x?q=1',
      'https://a.example/x/y?q=1',
      'https://a.example:8443/x?q=1',
      'http://a.example/x#frag?q=1',
      'https://a.example/x',
      'https://a.example/xy',
    ]
    for (let round = 0; round < 3; round++) {
      for (const url of urls) {
        expect(readRequestParameters({ method: 'GET', url }).baseString()).toBe(
          reference('GET', url, {}),
        )
      }
    }
  })

  test('more parameters than the insertion sort handles sort the same way', () => {
    const pairs: Param[] = []
    for (let i = 0; i < 80; i++) pairs.push([`k${(i * 37) % 50}`, `v${i % 7}`])
    const q = pairs.map(([n, v]) => `${escape(n)}=${escape(v)}`).join('&')
    const url = `https://example.com/?${q}`
    expect(readRequestParameters({ method: 'GET', url }).baseString()).toBe(
      reference('GET', url, {}),
    )
  })

  test('a value that cannot be encoded is refused when the base string is built, not before', () => {
    const parsed = readRequestParameters({
      method: 'GET',
      url: 'https://example.com/',
      headers: { authorization: 'OAuth oauth_nonce="a\ud800"' },
    })
    expect(parsed.header).toEqual([['oauth_nonce', 'a\ud800']])
    expect(() => parsed.baseString()).toThrow(ParameterRejectedError)
    // The same from a form body, in a name or in a value, among encodable pairs.
    for (const body of ['b=1&a\udc00=2&c=3', 'b=1&a=\ud800x&c=3']) {
      const form = readRequestParameters({
        method: 'POST',
        url: 'https://example.com/',
        headers: { 'content-type': FORM },
        body,
      })
      expect(form.body).toHaveLength(3)
      expect(() => form.baseString()).toThrow('Value is not well-formed Unicode')
    }
  })

  test('malformed input is our typed error', () => {
    for (const url of [
      'https://example.com/?a=%zz',
      'https://example.com/?a=%C3',
      'https://example.com/?a b',
    ]) {
      expect(() => readRequestParameters({ method: 'GET', url })).toThrow(ParameterRejectedError)
    }
    expect(() =>
      readRequestParameters({
        method: 'GET',
        url: 'https://example.com/',
        headers: { authorization: 'OAuth a="1", a="2"' },
      }),
    ).toThrow(ParameterRejectedError)
    expect(() => readRequestParameters({ method: 'GET', url: '/relative' }).baseString()).toThrow(
      ParameterRejectedError,
    )
  })
})
