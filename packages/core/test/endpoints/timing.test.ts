// The timing defence (RFC 5849 §4.6; DESIGN decision 8), checked without measuring time:
// an instrumented validator records every call (and whether it was handed a dummy
// identifier), an instrumented signature registry counts verifications, an instrumented
// store records every lookup. An unknown client, an unknown token, a bad signature and a
// valid request must all do the same work up to the decision.
import { createPublicKey } from 'node:crypto'
import {
  builtinSignatureMethods,
  type OAuthRequest,
  type RequestValidator,
  SignatureMethodRegistry,
  type VerifyInput,
} from '@x/oauth1-core'
import { describe, expect, test } from 'vitest'
import { instrumentStore, Provider, rsa, send, type Target, validRequest } from './support.ts'

interface Event {
  /** Validator method, `verify:<method>`, or `store.<method>`. */
  readonly name: string
  /** Whether any argument was one of the validator's dummy identifiers. */
  readonly dummy: boolean
}

const SECRET_LOOKUPS = new Set([
  'getClientSecret',
  'getRequestTokenSecret',
  'getAccessTokenSecret',
  'getRsaKey',
])

/** A provider whose validator, signature methods and store all report to one log. */
function instrumented(): {
  p: Provider
  log: Event[]
  keys: (string | object | null | undefined)[]
} {
  const log: Event[] = []
  const keys: (string | object | null | undefined)[] = []
  const signatureMethods = new SignatureMethodRegistry(
    builtinSignatureMethods.map((method) => ({
      ...method,
      verify(input: VerifyInput): Promise<boolean> {
        log.push({ name: `verify:${method.name}`, dummy: false })
        keys.push(input.publicKey)
        return method.verify(input)
      },
    })),
  )
  const storeCounts = new Map<string, number>()
  const p = new Provider({
    endpoint: { signatureMethods },
    wrapStore: (store) => {
      const counted = instrumentStore(store, { delay: false, counts: storeCounts })
      return new Proxy(counted, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target)
          if (typeof value !== 'function') return value
          return (...args: unknown[]) => {
            log.push({ name: `store.${String(prop)}`, dummy: false })
            return Reflect.apply(value, target, args)
          }
        },
      })
    },
    wrapValidator: (v) => wrapValidator(v, log),
  })
  return { p, log, keys }
}

function wrapValidator(v: RequestValidator, log: Event[]): RequestValidator {
  const dummies = new Set([v.dummyClient, v.dummyRequestToken, v.dummyAccessToken])
  const wrapped: Record<string, unknown> = { ...v }
  for (const [name, value] of Object.entries(v)) {
    if (typeof value !== 'function') continue
    wrapped[name] = (...args: unknown[]) => {
      log.push({
        name,
        dummy: args.some((a) => typeof a === 'string' && dummies.has(a)),
      })
      return Reflect.apply(value, v, args)
    }
  }
  return wrapped as unknown as RequestValidator
}

type Case = 'unknown client' | 'unknown token' | 'bad signature' | 'valid'

/** The four requests for a target, all built before anything is recorded. */
async function requests(
  p: Provider,
  target: Target,
  signatureMethod: string,
): Promise<Partial<Record<Case, OAuthRequest>>> {
  const spec = { signatureMethod }
  const tampered = await validRequest(p, target, spec)
  const out: Partial<Record<Case, OAuthRequest>> = {
    'unknown client': await validRequest(p, target, {
      ...spec,
      clientKey: 'nobody-key',
      clientSecret: 'nobody-secret',
    }),
    // PLAINTEXT signs no request content: a wrong secret is its bad signature.
    'bad signature':
      signatureMethod === 'PLAINTEXT'
        ? await validRequest(p, target, { ...spec, clientSecret: 'wrong-secret' })
        : { ...tampered, url: `${tampered.url}${tampered.url.includes('?') ? '&' : '?'}x=1` },
    valid: await validRequest(p, target, spec),
  }
  if (target === 'resource' || target === 'access-token') {
    out['unknown token'] = await validRequest(p, target, {
      ...spec,
      token: 'unknown-token',
      tokenSecret: 'unknown-token-secret',
    })
  }
  return out
}

/** The events up to and including the (single) signature verification. */
function untilDecision(log: readonly Event[]): Event[] {
  const at = log.findIndex((e) => e.name.startsWith('verify:'))
  expect(at).toBeGreaterThan(-1)
  return log.slice(0, at + 1)
}

const names = (events: readonly Event[]): string[] => events.map((e) => e.name)

async function run(
  target: Target,
  signatureMethod: string,
): Promise<Record<string, { log: Event[]; status: number; keys: unknown[] }>> {
  const { p, log, keys } = instrumented()
  const reqs = await requests(p, target, signatureMethod)
  const out: Record<string, { log: Event[]; status: number; keys: unknown[] }> = {}
  for (const [name, req] of Object.entries(reqs)) {
    log.length = 0
    keys.length = 0
    const response = await send(p, target, req as OAuthRequest)
    out[name] = { log: [...log], status: response.status, keys: [...keys] }
  }
  return out
}

const EXPECTED_STATUS: Record<Case, number> = {
  'unknown client': 401,
  'unknown token': 401,
  'bad signature': 401,
  valid: 200,
}

describe.each([
  ['resource', 'HMAC-SHA1'],
  ['access-token', 'HMAC-SHA1'],
  ['request-token', 'HMAC-SHA1'],
  ['signature-only', 'HMAC-SHA1'],
  ['resource', 'RSA-SHA256'],
  ['access-token', 'RSA-SHA1'],
  ['request-token', 'RSA-SHA512'],
  ['resource', 'PLAINTEXT'],
] as [Target, string][])('%s endpoint, %s', (target, signatureMethod) => {
  test('every case does the same lookups and exactly one verification before deciding', async () => {
    const runs = await run(target, signatureMethod)
    const cases = Object.keys(runs) as Case[]
    expect(cases.length).toBeGreaterThanOrEqual(3)
    for (const c of cases) expect(runs[c]?.status, c).toBe(EXPECTED_STATUS[c])

    const reference = names(untilDecision(runs.valid?.log ?? []))
    for (const c of cases) {
      const log = runs[c]?.log ?? []
      const decided = untilDecision(log)
      // Same validator calls and store lookups, in the same order, up to the verification.
      expect(names(decided), c).toEqual(reference)
      // Exactly one signature verification in the whole request.
      expect(
        log.filter((e) => e.name.startsWith('verify:')),
        c,
      ).toEqual([{ name: `verify:${signatureMethod}`, dummy: false }])
      // Each secret is fetched once.
      const lookups = names(log.filter((e) => SECRET_LOOKUPS.has(e.name)))
      expect(lookups, c).toEqual(reference.filter((n) => SECRET_LOOKUPS.has(n)))
      expect(new Set(lookups).size).toBe(lookups.length)
      // A rejected request does nothing after the verification.
      if (c !== 'valid') expect(log.slice(decided.length), c).toEqual([])
    }

    // The secret lookups, by case: known identifiers are looked up, unknown ones are
    // replaced by the dummies.
    const lookupsOf = (c: Case): Event[] =>
      (runs[c]?.log ?? []).filter((e) => SECRET_LOOKUPS.has(e.name))
    const rsaMethod = signatureMethod.startsWith('RSA')
    const tokenLookup =
      target === 'resource'
        ? 'getAccessTokenSecret'
        : target === 'access-token'
          ? 'getRequestTokenSecret'
          : undefined
    const expected = (clientDummy: boolean, tokenDummy: boolean): Event[] =>
      rsaMethod
        ? [{ name: 'getRsaKey', dummy: clientDummy }]
        : [
            { name: 'getClientSecret', dummy: clientDummy },
            ...(tokenLookup === undefined ? [] : [{ name: tokenLookup, dummy: tokenDummy }]),
          ]
    expect(lookupsOf('valid')).toEqual(expected(false, false))
    expect(lookupsOf('bad signature')).toEqual(expected(false, false))
    expect(lookupsOf('unknown client')).toEqual(expected(true, true))
    if (runs['unknown token'] !== undefined) {
      expect(lookupsOf('unknown token')).toEqual(expected(false, true))
    }
  })
})

describe('RSA and the dummy key', () => {
  test('an unknown client still costs one RSA verification, with a 2048-bit dummy key', async () => {
    for (const target of ['resource', 'access-token', 'request-token', 'signature-only'] as const) {
      const runs = await run(target, 'RSA-SHA1')
      const unknown = runs['unknown client']
      const valid = runs.valid
      expect(unknown?.keys).toHaveLength(1)
      expect(valid?.keys).toHaveLength(1)
      const dummyKey = unknown?.keys[0]
      expect(typeof dummyKey).toBe('string')
      expect(dummyKey).not.toBe(rsa().publicKey)
      const details = createPublicKey(dummyKey as string).asymmetricKeyDetails
      expect(details?.modulusLength).toBe(2048)
      expect(valid?.keys[0]).toBe(rsa().publicKey)
    }
  })
})
