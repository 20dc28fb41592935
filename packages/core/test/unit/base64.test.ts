import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { base64ToBytes, base64ToBytesPortable, bytesToBase64 } from '../../src/crypto/base64.ts'

// base64ToBytes decodes with Buffer where the runtime has one, and base64ToBytesPortable
// with regular expressions and atob elsewhere (workerd without nodejs_compat, browsers).
// Both must give the same bytes, and only for strict, canonical, padded base64.
const decoders = { base64ToBytes, base64ToBytesPortable }
describe.each(Object.entries(decoders))('%s', (_, decode) => {
  test('decodes what bytesToBase64 encodes, on both decoders', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = bytesToBase64(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64'))
        expect([...(decode(text) ?? [0])]).toEqual([...bytes])
      }),
      { numRuns: 500 },
    )
  })

  test('refuses what is not strict canonical base64', () => {
    for (const text of [
      'AB', // no padding
      'AB=', // short padding
      'AR==', // non-zero bits before the padding
      'ABD=', // same, three characters
      'AB==AB==', // padding in the middle
      'A B=', // whitespace, which Buffer would skip
      'AB-_', // base64url alphabet, which Buffer would accept
      'AB%3D', // still percent-encoded
      '====',
    ]) {
      expect(decode(text), text).toBeUndefined()
    }
    expect([...(decode('') ?? [0])]).toEqual([])
  })

  test('refuses any change to a valid text that Buffer alone would decode anyway', () => {
    const sample = fc.uint8Array({ minLength: 1, maxLength: 64 }).map(bytesToBase64)
    const noise = fc.constantFrom(' ', '\n', '-', '_', '=', '.', '%')
    fc.assert(
      fc.property(sample, noise, fc.nat(), (text, c, at) => {
        const i = at % (text.length + 1)
        const changed = text.slice(0, i) + c + text.slice(i)
        expect(decode(changed)).toBeUndefined()
      }),
      { numRuns: 500 },
    )
  })
})

test('both decoders agree on arbitrary text, valid or not', () => {
  const alphabet = fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n'.split(''),
  )
  const valid = fc.uint8Array({ maxLength: 20 }).map(bytesToBase64)
  // A valid text with one character replaced: often still decodable by a lenient decoder.
  const mutated = fc
    .tuple(valid, alphabet, fc.nat())
    .filter(([text]) => text.length > 0)
    .map(([text, c, at]) => {
      const i = at % text.length
      return text.slice(0, i) + c + text.slice(i + 1)
    })
  const random = fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join(''))
  let accepted = 0
  let refused = 0
  fc.assert(
    fc.property(fc.oneof(valid, mutated, random), (text) => {
      const native = base64ToBytes(text)
      const portable = base64ToBytesPortable(text)
      if (portable === undefined) refused++
      else accepted++
      expect(native === undefined ? undefined : [...native]).toEqual(
        portable === undefined ? undefined : [...portable],
      )
    }),
    { numRuns: 5000 },
  )
  expect(accepted).toBeGreaterThan(1000)
  expect(refused).toBeGreaterThan(1000)
})
