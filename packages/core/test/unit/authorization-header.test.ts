import { describe, expect, it } from 'vitest'
import { ParameterRejectedError, parseAuthorizationHeader } from '../../src/index.ts'

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
