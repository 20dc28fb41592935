import { PROTOCOL_PARAMETER_NAMES } from '@x/oauth1-testkit'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ParameterRejectedError,
  parseAuthorizationHeader,
  readRequestParameters,
} from '../../src/index.ts'

describe('parseAuthorizationHeader: realm', () => {
  it.each(['realm', 'Realm', 'REALM'])(
    '%s is the realm (auth-param names are case-insensitive, RFC 7235 §2.1)',
    (name) => {
      const parsed = parseAuthorizationHeader(`OAuth ${name}="Photos", oauth_nonce="n"`)
      expect(parsed.realm).toBe('Photos')
      expect(parsed.params).toEqual([['oauth_nonce', 'n']])
    },
  )

  it('a realm given twice under different cases is a duplicate', () => {
    expect(() => parseAuthorizationHeader('OAuth realm="a", Realm="b"')).toThrow(
      ParameterRejectedError,
    )
  })

  it('oauth_* names stay case-sensitive: OAUTH_NONCE is an ordinary parameter', () => {
    const parsed = parseAuthorizationHeader('OAuth OAUTH_NONCE="n"')
    expect(parsed.params).toEqual([['OAUTH_NONCE', 'n']])
  })
})

// A header as clients write it (`OAuth ` then `name="value"` pairs of plain names and
// escaped values) is read by a path of its own, without the tokenizer. Spelling the scheme
// `oauth` sends the same header down the general path: both must give the same
// parameters, realm, base string and errors.

describe('parseAuthorizationHeader: the canonical-header path agrees with the tokenizer', () => {
  const hex = fc.constantFrom(...'0123456789ABCDEFabcdef'.split(''))
  const unreserved = fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split(''),
  )
  const escape = fc.tuple(hex, hex).map(([h, l]) => `%${h}${l}`)
  const asciiEscape = fc
    .tuple(fc.constantFrom('2', '3', '4', '5', '6', '7'), hex)
    .map(([h, l]) => `%${h}${l}`)
  const utf8Escape = fc.constantFrom('%C3%A9', '%e2%82%ac', '%F0%9F%98%80')
  // Values: unreserved text and escapes of any octet (invalid UTF-8, lower-case hex and
  // escaped unreserved characters included), now and then a broken escape.
  const value = fc
    .array(
      fc.oneof(
        { weight: 20, arbitrary: unreserved },
        { weight: 3, arbitrary: asciiEscape },
        { weight: 2, arbitrary: utf8Escape },
        { weight: 1, arbitrary: escape },
        { weight: 1, arbitrary: fc.constant('%G') },
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''))
  const name = fc.oneof(
    fc.constantFrom(...PROTOCOL_PARAMETER_NAMES, 'realm', 'Realm'),
    // Names one character away from a protocol name, at its start, middle or end: the
    // canonical path compares a name with the protocol's in place, character by character.
    fc.constantFrom(
      'Oauth_token',
      'oauth_tokeN',
      'oauth_noncE',
      'oauth_versioN',
      'oauth_Callback',
      'oauth_verifieR',
      'oauth_signaturE',
      'oauth_timeStamp',
      'oauth_body_hasH',
      'oauth_consumer_keY',
      'oauth_signature_methoD',
    ),
    fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/),
  )
  const realmText = fc.string({ maxLength: 10 }).map((s) => s.replace(/["\\]/g, ''))
  const pair = fc
    .tuple(name, value, realmText)
    .map(([n, v, r]) => (n.toLowerCase() === 'realm' ? `${n}="${r}"` : `${n}="${v}"`))
  const header = fc
    .tuple(
      fc.array(pair, { minLength: 1, maxLength: 12 }),
      fc.array(fc.boolean(), { maxLength: 12 }),
    )
    .map(([pairs, spaces]) =>
      pairs.reduce(
        (out, p, i) => (i === 0 ? p : `${out},${spaces[i] === false ? '' : ' '}${p}`),
        '',
      ),
    )

  function outcome(authorization: string): unknown {
    try {
      const read = readRequestParameters({
        method: 'GET',
        url: 'https://api.example.com/r?b=2&a=1',
        headers: { authorization },
      })
      let baseString: string
      try {
        baseString = read.baseString()
      } catch (error) {
        baseString = `throws ${(error as Error).message}`
      }
      return { header: read.header, realm: read.realm, baseString }
    } catch (error) {
      if (!(error instanceof ParameterRejectedError)) throw error
      return `throws ${error.message}`
    }
  }

  it('on generated headers, valid or not', () => {
    let accepted = 0
    let rejected = 0
    fc.assert(
      fc.property(header, (pairs) => {
        const fast = outcome(`OAuth ${pairs}`)
        const general = outcome(`oauth ${pairs}`)
        expect(fast).toEqual(general)
        if (typeof fast === 'string') rejected++
        else accepted++
      }),
      { numRuns: 3000 },
    )
    expect(accepted).toBeGreaterThan(300)
    expect(rejected).toBeGreaterThan(300)
  })

  // A header of protocol names and realm only (the usual one) takes a narrower path
  // still, which tells the names apart by a character or two: every name must come out
  // as itself, in any order, in any number, with the realm's name in any case.
  it('on generated headers of protocol names and realm only', () => {
    const protocolName = fc.constantFrom(...PROTOCOL_PARAMETER_NAMES, 'realm', 'REALM', 'rEaLm')
    const protocolPair = fc
      .tuple(protocolName, value, realmText)
      .map(([n, v, r]) => (n.toLowerCase() === 'realm' ? `${n}="${r}"` : `${n}="${v}"`))
    let accepted = 0
    fc.assert(
      fc.property(
        fc.array(protocolPair, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (pairs, space) => {
          const list = pairs.join(space ? ', ' : ',')
          const fast = outcome(`OAuth ${list}`)
          expect(fast).toEqual(outcome(`oauth ${list}`))
          if (typeof fast !== 'string') accepted++
        },
      ),
      { numRuns: 2000 },
    )
    expect(accepted).toBeGreaterThan(300)
  })

  it('on a header of every protocol name, in each order the test tries', () => {
    for (let shift = 0; shift < PROTOCOL_PARAMETER_NAMES.length; shift++) {
      const order = [
        ...PROTOCOL_PARAMETER_NAMES.slice(shift),
        ...PROTOCOL_PARAMETER_NAMES.slice(0, shift),
      ]
      const list = order.map((n, i) => `${n}="v${i}%20x"`).join(', ')
      const fast = outcome(`OAuth realm="r", ${list}`)
      expect(fast).toEqual(outcome(`oauth realm="r", ${list}`))
      expect((fast as { header: [string, string][] }).header.map(([n]) => n)).toEqual(order)
    }
  })

  it('on a header past SMALL_HEADER distinct names, with a duplicate at the end', () => {
    const names = Array.from({ length: 30 }, (_, i) => `p${i}="v${i}"`)
    expect(outcome(`OAuth ${names.join(', ')}`)).toEqual(outcome(`oauth ${names.join(', ')}`))
    const dup = [...names, 'p29="again"'].join(', ')
    expect(outcome(`OAuth ${dup}`)).toBe('throws Duplicated parameter in Authorization header: p29')
    expect(outcome(`oauth ${dup}`)).toBe('throws Duplicated parameter in Authorization header: p29')
  })
})

describe('parseAuthorizationHeader: no catastrophic backtracking', () => {
  // Each realm whose value is plain text could be read by two branches of a careless
  // pattern; a header of many such realms that fails at its very end would then take
  // 2^n steps. This one must be refused (duplicate realm) at once, not hang.
  it('many plain realms followed by junk', () => {
    const realms = Array.from({ length: 60 }, () => 'realm="a"').join(', ')
    expect(() => parseAuthorizationHeader(`OAuth ${realms}, x`)).toThrow(ParameterRejectedError)
    expect(() => parseAuthorizationHeader(`OAuth ${realms},`)).toThrow(ParameterRejectedError)
  })

  // The same for the pattern of protocol names only (`oauth_signature` is a prefix of
  // `oauth_signature_method`).
  it('many protocol parameters followed by junk', () => {
    const pairs = Array.from({ length: 60 }, (_, i) =>
      i % 2 === 0 ? 'oauth_signature="a"' : 'oauth_signature_method="b"',
    ).join(', ')
    expect(() => parseAuthorizationHeader(`OAuth ${pairs}, x`)).toThrow(ParameterRejectedError)
    expect(() => parseAuthorizationHeader(`OAuth ${pairs},`)).toThrow(ParameterRejectedError)
  })
})
