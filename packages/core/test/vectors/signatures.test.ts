import { baseStringUri, normalizeParameters, signatureBaseString } from '@x/oauth1-core/signature'
import { type Vector, vectorGroup, vectorKey } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { builtinFunctions } from '../../src/signature/sign.ts'
import {
  isHmacMethod,
  isRsaMethod,
  named,
  nodeFunctions,
  type Pair,
  type SignatureImpl,
  signatureImpls,
  vectorById,
  webFunctions,
} from './support.ts'

interface SignatureVector extends Vector {
  readonly signature_method: string
  readonly base_string: string | null
  readonly client_secret?: string | null
  readonly token_secret?: string | null
  readonly private_key?: string
  readonly public_key?: string
  readonly expected: string
}

interface FalsePositiveRequest {
  readonly http_method: string
  readonly uri: string
  readonly params: Pair[]
}

interface FalsePositiveVector extends Vector {
  readonly applies_to?: string[]
  readonly request: FalsePositiveRequest
  readonly signature_method?: string
  readonly client_secret?: string
  readonly token_secret?: string
  readonly bad_signatures: string[]
  readonly bad_signature_recipes?: string[]
}

const WRONG_KEY = 'oauthlib-test-rsa2-private'

function requestBaseString(request: FalsePositiveRequest): string {
  return signatureBaseString(
    request.http_method,
    baseStringUri(request.uri),
    normalizeParameters(request.params),
  )
}

it('the implementations run on the backends they claim', () => {
  expect(nodeFunctions.backend.name).toBe('node')
  expect(webFunctions.backend.name).toBe('web')
  // `#crypto` resolves to node:crypto on Node, so the public exports use it.
  expect(builtinFunctions.backend.name).toBe('node')
  expect(signatureImpls.map((i) => i.name)).toEqual([
    'node backend',
    'web backend',
    'public exports',
    'builtinSignatureMethods',
  ])
})

const impls = named(signatureImpls, (impl) => impl.name)

describe.each(impls)('signatures, %s', (_, impl) => {
  const vectors = vectorGroup<SignatureVector>('signatures')
  it.each(named(vectors, (v) => `${v.id} (${v.signature_method})`))('%s', async (_, v) => {
    // PLAINTEXT vectors have no base string: the method ignores it.
    const baseString = v.base_string ?? ''
    const signed = await impl.sign(v.signature_method, {
      baseString,
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
      ...(v.private_key === undefined ? {} : { privateKey: vectorKey(v.private_key) }),
    })
    // RSASSA-PKCS1-v1_5 is deterministic: RSA must reproduce the value exactly, too.
    expect(signed).toBe(v.expected)
    const verified = await impl.verify(v.signature_method, {
      baseString,
      signature: v.expected,
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
      ...(v.public_key === undefined ? {} : { publicKey: vectorKey(v.public_key) }),
    })
    expect(verified).toBe(true)
  })
})

/** Every bad signature must verify false, without throwing. */
async function expectRejected(
  impl: SignatureImpl,
  method: string,
  args: {
    baseString: string
    clientSecret?: string | null
    tokenSecret?: string | null
    publicKey?: string
  },
  badSignatures: readonly string[],
): Promise<void> {
  for (const signature of badSignatures) {
    await expect(
      impl.verify(method, { ...args, signature }),
      `signature ${signature}`,
    ).resolves.toBe(false)
  }
}

/**
 * Builds the bad signatures a recipe of `bad_signature_recipes` describes, for one
 * signature vector. Returns none when the recipe does not apply to the method (for
 * example a secret recipe with RSA); throws on a recipe this file does not know, so a new
 * recipe in the vector file fails the test instead of being ignored.
 */
async function fromRecipe(
  recipe: string,
  impl: SignatureImpl,
  v: SignatureVector,
  baseString: string,
): Promise<string[]> {
  const method = v.signature_method
  const sharedSecret = isHmacMethod(method) || method === 'PLAINTEXT'
  const signWith = async (override: {
    baseString?: string
    clientSecret?: string | null
    tokenSecret?: string | null
    privateKey?: string
  }): Promise<string[]> => [
    await impl.sign(method, {
      baseString,
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
      ...(v.private_key === undefined ? {} : { privateKey: vectorKey(v.private_key) }),
      ...override,
    }),
  ]
  if (recipe === 'sign "not the signature base string" / "wrong value signed" with the right key') {
    // PLAINTEXT ignores the base string, so no bad value can be built that way.
    if (method === 'PLAINTEXT') return []
    return [
      ...(await signWith({ baseString: 'not the signature base string' })),
      ...(await signWith({ baseString: 'wrong value signed' })),
    ]
  }
  if (recipe === 'HMAC/PLAINTEXT: client secret "wrong-secret"') {
    return sharedSecret ? signWith({ clientSecret: 'wrong-secret' }) : []
  }
  if (recipe === 'HMAC/PLAINTEXT: token secret "wrong-secret"') {
    return sharedSecret ? signWith({ tokenSecret: 'wrong-secret' }) : []
  }
  if (recipe === 'HMAC/PLAINTEXT: token secret missing') {
    return sharedSecret ? signWith({ tokenSecret: null }) : []
  }
  if (recipe === 'HMAC/PLAINTEXT: client secret missing') {
    return sharedSecret ? signWith({ clientSecret: null }) : []
  }
  if (recipe === `RSA: signed with ${WRONG_KEY}`) {
    return isRsaMethod(method) ? signWith({ privateKey: vectorKey(WRONG_KEY) }) : []
  }
  throw new Error(`unknown bad_signature_recipe: ${recipe}`)
}

it('signature_false_positives: every vector of the group has a test below', () => {
  expect(vectorGroup('signature_false_positives').map((v) => v.id)).toEqual([
    'neg-01',
    'neg-02',
    'neg-03',
  ])
})

describe.each(impls)('signature_false_positives, %s', (_, impl) => {
  const neg01 = vectorById<FalsePositiveVector>('signature_false_positives', 'neg-01')

  it.each(
    named(
      (neg01.applies_to ?? []).map((id) => vectorById<SignatureVector>('signatures', id)),
      (v) => `neg-01 x ${v.id}: bad signatures and every recipe verify false`,
    ),
  )('%s', async (_, v) => {
    const baseString = v.base_string ?? ''
    if (v.base_string !== null) {
      // The vector's request is the one the signature vector's base string came from.
      expect(requestBaseString(neg01.request)).toBe(v.base_string)
    }
    const verifyArgs = {
      baseString,
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
      ...(v.public_key === undefined ? {} : { publicKey: vectorKey(v.public_key) }),
    }
    await expectRejected(impl, v.signature_method, verifyArgs, neg01.bad_signatures)

    const recipes = neg01.bad_signature_recipes ?? []
    expect(recipes.length).toBeGreaterThan(0)
    const built: string[] = []
    for (const recipe of recipes) {
      built.push(...(await fromRecipe(recipe, impl, v, baseString)))
    }
    // Every recipe that applies was built. HMAC: two wrong base strings and four secret
    // recipes; PLAINTEXT: the four secret recipes; RSA: two wrong base strings, wrong key.
    const method = v.signature_method
    expect(built).toHaveLength(isRsaMethod(method) ? 3 : isHmacMethod(method) ? 6 : 4)
    for (const bad of built) expect(bad).not.toBe(v.expected)
    await expectRejected(impl, v.signature_method, verifyArgs, built)
    // The right signature still verifies with the same arguments.
    await expect(
      impl.verify(v.signature_method, { ...verifyArgs, signature: v.expected }),
    ).resolves.toBe(true)
  })

  it('neg-02: the correct HMAC-SHA1 minus its trailing "=" verifies false', async () => {
    const v = vectorById<FalsePositiveVector>('signature_false_positives', 'neg-02')
    const method = v.signature_method ?? ''
    const baseString = requestBaseString(v.request)
    const args = {
      baseString,
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
    }
    const good = await impl.sign(method, args)
    expect(await impl.verify(method, { ...args, signature: good })).toBe(true)
    expect(v.bad_signatures).toEqual([good.slice(0, -1)])
    await expectRejected(impl, method, args, v.bad_signatures)
  })

  it('neg-03: a PLAINTEXT value of the right length but wrong content verifies false', async () => {
    const v = vectorById<FalsePositiveVector>('signature_false_positives', 'neg-03')
    const method = v.signature_method ?? ''
    const args = {
      baseString: requestBaseString(v.request),
      clientSecret: v.client_secret ?? null,
      tokenSecret: v.token_secret ?? null,
    }
    const good = await impl.sign(method, args)
    expect(await impl.verify(method, { ...args, signature: good })).toBe(true)
    for (const bad of v.bad_signatures) expect(bad).toHaveLength(good.length)
    await expectRejected(impl, method, args, v.bad_signatures)
  })
})
