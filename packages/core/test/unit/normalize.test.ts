import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escape, normalizeParameters } from '../../src/index.ts'

// An independent statement of RFC 5849 §3.4.1.3.2: encode, sort by name then value in
// byte order, join.
function reference(params: [string, string][]): string {
  return params
    .map(([n, v]) => [escape(n), escape(v)] as const)
    .sort((a, b) =>
      a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1,
    )
    .map(([n, v]) => `${n}=${v}`)
    .join('&')
}

describe('normalizeParameters', () => {
  // Small lists use an insertion sort, large ones the generic sort: both must agree with the rule.
  it.each([0, 1, 2, 31, 32, 33, 150])('sorts %i parameters as RFC 5849 §3.4.1.3.2 says', (size) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })), {
          minLength: size,
          maxLength: size,
        }),
        (params) => {
          expect(normalizeParameters(params)).toBe(reference(params))
        },
      ),
      { numRuns: 50 },
    )
  })
})
