import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  X509Certificate,
} from 'node:crypto'
import {
  OAuth1Error,
  RsaPrivateKey,
  RsaPublicKey,
  SignatureMethodRejectedError,
  signRsaSha256,
  verifyRsaSha256,
} from '@x/oauth1-core'
import { testCertificateKeyPem, testCertificatePem } from '@x/oauth1-testkit'
import fc from 'fast-check'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { backend as nodeBackend } from '../src/crypto/node.ts'
import { publicKeyPemToSpki } from '../src/crypto/pem.ts'
import type { CryptoBackend, HashName } from '../src/crypto/types.ts'
import { backend as webBackend } from '../src/crypto/web.ts'
import { createSignatureFunctions, type SignatureFunctions } from '../src/signature/methods.ts'
import { createBuiltinSignatureMethods } from '../src/signature/registry.ts'

// --- key material --------------------------------------------------------------------------

const pem = (key: KeyObject, type: 'spki' | 'pkcs1' | 'pkcs8'): string =>
  key.export({ type, format: 'pem' }) as string

/** The certificate fixture's key, in every format a provider meets. */
const certPrivate = createPrivateKey(testCertificateKeyPem())
const FIXTURE = {
  private: {
    'PKCS#8 (PRIVATE KEY)': testCertificateKeyPem(),
    'PKCS#1 (RSA PRIVATE KEY)': pem(certPrivate, 'pkcs1'),
  },
  public: {
    'SPKI (PUBLIC KEY)': pem(createPublicKey(certPrivate), 'spki'),
    'PKCS#1 (RSA PUBLIC KEY)': pem(createPublicKey(certPrivate), 'pkcs1'),
    'X.509 (CERTIFICATE)': testCertificatePem(),
  },
}

/** A fresh pair, so the formats are not tied to the fixture. */
const generated = generateKeyPairSync('rsa', { modulusLength: 2048 })
const GENERATED = {
  private: {
    'PKCS#8 (PRIVATE KEY)': pem(generated.privateKey, 'pkcs8'),
    'PKCS#1 (RSA PRIVATE KEY)': pem(generated.privateKey, 'pkcs1'),
  },
  public: {
    'SPKI (PUBLIC KEY)': pem(generated.publicKey, 'spki'),
    'PKCS#1 (RSA PUBLIC KEY)': pem(generated.publicKey, 'pkcs1'),
  },
}

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, webBackend]
const HASHES: readonly [HashName, string][] = [
  ['SHA-1', 'sha1'],
  ['SHA-256', 'sha256'],
  ['SHA-512', 'sha512'],
]
const BASE_STRING = 'POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D%25E2%259C%2593'

function entries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record)
}

// --- every private format with every public format, on both backends -----------------------

describe.each(BACKENDS.map((b) => [b.name, b] as const))('%s backend', (_, backend) => {
  const fns = createSignatureFunctions(backend)
  const other = createSignatureFunctions(backend === nodeBackend ? webBackend : nodeBackend)

  describe.each([
    ['certificate fixture key', FIXTURE],
    ['generated key', GENERATED],
  ] as const)('%s', (__, keys) => {
    const matrix = entries(keys.private).flatMap(([privName, privPem]) =>
      entries(keys.public as Record<string, string>).flatMap(([pubName, pubPem]) =>
        HASHES.map(
          ([hash, nodeHash]) => [privName, pubName, hash, privPem, pubPem, nodeHash] as const,
        ),
      ),
    )

    test.each(matrix)('sign with %s, verify with %s (%s)', async (...args) => {
      const [, , hash, privPem, pubPem, nodeHash] = args
      const signature = await fns.rsaSign(hash, BASE_STRING, privPem)
      expect(await fns.rsaVerify(hash, BASE_STRING, signature, pubPem)).toBe(true)
      // The other backend agrees, and so does node:crypto on its own.
      expect(await other.rsaVerify(hash, BASE_STRING, signature, pubPem)).toBe(true)
      expect(
        nodeVerify(
          nodeHash,
          Buffer.from(BASE_STRING),
          createPublicKey(pubPem),
          Buffer.from(signature, 'base64'),
        ),
      ).toBe(true)
      // PKCS#1 v1.5 is deterministic: node:crypto signs the same bytes.
      expect(nodeSign(nodeHash, Buffer.from(BASE_STRING), privPem).toString('base64')).toBe(
        signature,
      )
      // Something else does not verify.
      expect(await fns.rsaVerify(hash, `${BASE_STRING}x`, signature, pubPem)).toBe(false)
    })

    test.each(entries(keys.public as Record<string, string>))(
      'a %s key does not verify signatures of another key',
      async (__, pubPem) => {
        const stranger = pem(
          generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
          'pkcs8',
        )
        const signature = await fns.rsaSign('SHA-256', BASE_STRING, stranger)
        expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, pubPem)).toBe(false)
      },
    )

    test.each(entries(keys.private))('an imported %s key signs repeatedly', async (__, privPem) => {
      const key = await fns.importRsaPrivateKey(privPem)
      expect(key).toBeInstanceOf(RsaPrivateKey)
      const publicKey = await fns.importRsaPublicKey(Object.values(keys.public)[0] as string)
      expect(publicKey).toBeInstanceOf(RsaPublicKey)
      for (const [hash] of HASHES) {
        const signature = await fns.rsaSign(hash, BASE_STRING, key)
        expect(await fns.rsaVerify(hash, BASE_STRING, signature, publicKey)).toBe(true)
      }
    })
  })

  test('the methods of the registry accept every format', async () => {
    const methods = createBuiltinSignatureMethods(fns).filter((m) => m.keyType === 'rsa')
    expect(methods.map((m) => m.name)).toEqual(['RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512'])
    for (const method of methods) {
      for (const privateKey of Object.values(FIXTURE.private)) {
        const signature = await method.sign({ baseString: BASE_STRING, privateKey })
        for (const publicKey of Object.values(FIXTURE.public)) {
          expect(await method.verify({ baseString: BASE_STRING, signature, publicKey })).toBe(true)
        }
      }
    }
  })
})

test('the certificate key is the key node:crypto finds in the certificate', () => {
  const spki = publicKeyPemToSpki(testCertificatePem())
  const expected = new X509Certificate(testCertificatePem()).publicKey.export({
    type: 'spki',
    format: 'der',
  })
  expect(Buffer.from(spki).equals(expected)).toBe(true)
  expect(
    Buffer.from(publicKeyPemToSpki(FIXTURE.public['PKCS#1 (RSA PUBLIC KEY)'])).equals(expected),
  ).toBe(true)
})

test('the public functions take a certificate', async () => {
  const signature = await signRsaSha256(BASE_STRING, FIXTURE.private['PKCS#1 (RSA PRIVATE KEY)'])
  expect(await verifyRsaSha256(BASE_STRING, signature, testCertificatePem())).toBe(true)
})

// --- unusable keys -------------------------------------------------------------------------

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed25519 = generateKeyPairSync('ed25519')
const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 1024 })
const spkiPem = GENERATED.public['SPKI (PUBLIC KEY)']
const pkcs8Pem = GENERATED.private['PKCS#8 (PRIVATE KEY)']
const pkcs1Pem = GENERATED.private['PKCS#1 (RSA PRIVATE KEY)']

/** Cuts the base64 body of a PEM to `keep` characters (a multiple of 4 keeps it valid base64). */
function truncateBody(text: string, keep: number): string {
  const lines = text.trim().split('\n')
  const body = lines.slice(1, -1).join('')
  return `${lines[0]}\n${body.slice(0, keep)}\n${lines.at(-1)}\n`
}
function replaceInBody(text: string, at: number, char: string): string {
  const start = text.indexOf('\n') + 1 + at
  return `${text.slice(0, start)}${char}${text.slice(start + 1)}`
}
function withLabel(text: string, label: string): string {
  return text.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, `-----$1 ${label}-----`)
}
function withTrailingDer(text: string): string {
  const der = createPublicKey(text).export({ type: 'spki', format: 'der' })
  const body = Buffer.concat([der, Buffer.of(0x05, 0x00)]).toString('base64')
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`
}

const COMMON_BAD: [string, string][] = [
  ['an empty string', ''],
  ['text that is not PEM', 'not a key at all'],
  ['base64 without PEM armour', spkiPem.split('\n').slice(1, -2).join('')],
  ['a PEM with no body', '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----'],
  ['a PEM whose labels differ', spkiPem.replace('END PUBLIC KEY', 'END PRIVATE KEY')],
  ['a PEM with bad base64', replaceInBody(spkiPem, 10, '!')],
  ['a PEM with bad base64 padding', truncateBody(spkiPem, 101)],
  ['a PEM with garbage DER', '-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----'],
  ['a PEM with an unknown label', withLabel(spkiPem, 'DSA PUBLIC KEY')],
]
const BAD_PUBLIC: [string, string][] = [
  ...COMMON_BAD,
  ['a truncated key (no END line)', spkiPem.slice(0, 120)],
  ['a truncated key (valid base64)', truncateBody(spkiPem, 200)],
  ['a truncated certificate', truncateBody(testCertificatePem(), 400)],
  [
    'a certificate without its last line',
    testCertificatePem().trim().split('\n').slice(0, -1).join('\n'),
  ],
  ['a key followed by more DER', withTrailingDer(spkiPem)],
  ['an EC public key', pem(ec.publicKey, 'spki')],
  ['an Ed25519 public key', pem(ed25519.publicKey, 'spki')],
  ['an RSA-PSS public key', pem(rsaPss.publicKey, 'spki')],
  [
    'an EC key under the RSA PUBLIC KEY label',
    withLabel(pem(ec.publicKey, 'spki'), 'RSA PUBLIC KEY'),
  ],
  ['an SPKI key under the CERTIFICATE label', withLabel(spkiPem, 'CERTIFICATE')],
  ['a private key', pkcs8Pem],
  ['a PKCS#8 private key under the PUBLIC KEY label', withLabel(pkcs8Pem, 'PUBLIC KEY')],
]
const BAD_PRIVATE: [string, string][] = [
  ...COMMON_BAD,
  ['a truncated key (no END line)', pkcs8Pem.slice(0, 300)],
  ['a truncated key (valid base64)', truncateBody(pkcs8Pem, 800)],
  ['a truncated PKCS#1 key (valid base64)', truncateBody(pkcs1Pem, 800)],
  ['an EC private key (PKCS#8)', pem(ec.privateKey, 'pkcs8')],
  ['an EC private key (SEC1)', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string],
  ['an Ed25519 private key', pem(ed25519.privateKey, 'pkcs8')],
  ['an RSA-PSS private key', pem(rsaPss.privateKey, 'pkcs8')],
  [
    'an encrypted PKCS#8 key',
    generated.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string,
  ],
  [
    'an encrypted PKCS#1 key',
    generated.privateKey.export({
      type: 'pkcs1',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string,
  ],
  ['a public key', spkiPem],
  ['a certificate', testCertificatePem()],
  ['an SPKI key under the RSA PRIVATE KEY label', withLabel(spkiPem, 'RSA PRIVATE KEY')],
]

async function expectRejected(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(error).toBeInstanceOf(SignatureMethodRejectedError)
  expect(error).toBeInstanceOf(OAuth1Error)
  expect((error as OAuth1Error).code).toBe('signature_method_rejected')
  expect((error as OAuth1Error).status).toBe(400)
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))(
  'unusable keys, %s backend',
  (_, backend) => {
    const fns = createSignatureFunctions(backend)
    const signature = nodeSign('sha256', Buffer.from(BASE_STRING), pkcs8Pem).toString('base64')

    test.each(BAD_PUBLIC)('public: %s', async (__, text) => {
      await expectRejected(fns.importRsaPublicKey(text))
      await expectRejected(fns.rsaVerify('SHA-256', BASE_STRING, signature, text))
      // A second attempt fails the same way (a failure is not cached as a key).
      await expectRejected(fns.rsaVerify('SHA-1', BASE_STRING, signature, text))
    })

    test.each(BAD_PRIVATE)('private: %s', async (__, text) => {
      await expectRejected(fns.importRsaPrivateKey(text))
      await expectRejected(fns.rsaSign('SHA-256', BASE_STRING, text))
      await expectRejected(fns.rsaSign('SHA-512', BASE_STRING, text))
    })

    test('the sanity cases above are otherwise usable keys', async () => {
      expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, spkiPem)).toBe(true)
      await expect(fns.importRsaPrivateKey(pkcs8Pem)).resolves.toBeInstanceOf(RsaPrivateKey)
    })
  },
)

// --- PEM as it arrives from files, env vars and key stores --------------------------------

function rewrap(text: string, width: number, eol: string): string {
  const lines = text.trim().split('\n')
  const body = lines.slice(1, -1).join('')
  const wrapped = width === 0 ? [body] : (body.match(new RegExp(`.{1,${width}}`, 'g')) ?? [])
  return [lines[0], ...wrapped, lines.at(-1)].join(eol) + eol
}

const LAYOUTS: [string, (text: string) => string][] = [
  ['CRLF line endings', (t) => rewrap(t, 64, '\r\n')],
  ['76-column lines', (t) => rewrap(t, 76, '\n')],
  ['the body on one line', (t) => rewrap(t, 0, '\n')],
  ['no final newline', (t) => t.trim()],
  ['leading and trailing blank lines', (t) => `\n\n${t}\n\n`],
  [
    'text around the armour (openssl pkcs12 output)',
    (t) => `Bag Attributes\n    localKeyID: 01 02 03\nsubject=/CN=test\n${t}trailing text\n`,
  ],
]

describe.each(BACKENDS.map((b) => [b.name, b] as const))(
  'PEM layouts, %s backend',
  (_, backend) => {
    const fns = createSignatureFunctions(backend)
    test.each(LAYOUTS)('%s', async (__, layout) => {
      for (const privPem of Object.values(FIXTURE.private)) {
        const signature = await fns.rsaSign('SHA-256', BASE_STRING, layout(privPem))
        for (const pubPem of Object.values(FIXTURE.public)) {
          expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, layout(pubPem))).toBe(true)
        }
      }
    })
  },
)

// --- mutated DER: a usable key or SignatureMethodRejectedError, nothing else -----------------

function armour(label: string, der: Uint8Array): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`
}
function derOf(text: string): Buffer {
  return Buffer.from(text.trim().split('\n').slice(1, -1).join(''), 'base64')
}
const byteMutation = fc.record({
  kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
})
function mutateDer(
  der: Buffer,
  mutations: readonly { kind: string; at: number; byte: number }[],
): Uint8Array {
  let out = Uint8Array.from(der)
  for (const m of mutations) {
    // Mostly hit the first bytes, where the tags and lengths are.
    const at = m.at % 3 === 0 ? m.at % Math.min(out.length + 1, 40) : m.at % (out.length + 1)
    if (m.kind === 'flip' && at < out.length) out[at] = m.byte
    else if (m.kind === 'insert')
      out = Uint8Array.from([...out.subarray(0, at), m.byte, ...out.subarray(at)])
    else if (m.kind === 'delete')
      out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)])
    else out = out.slice(0, at)
  }
  return out
}

async function usableOrRejected(promise: Promise<unknown>): Promise<void> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureMethodRejectedError)
  }
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))(
  'mutated DER, %s backend',
  (_, backend) => {
    const fns = createSignatureFunctions(backend)
    const publicInputs: [string, Buffer][] = [
      ['PUBLIC KEY', derOf(FIXTURE.public['SPKI (PUBLIC KEY)'])],
      ['RSA PUBLIC KEY', derOf(FIXTURE.public['PKCS#1 (RSA PUBLIC KEY)'])],
      ['CERTIFICATE', derOf(FIXTURE.public['X.509 (CERTIFICATE)'])],
    ]
    const privateInputs: [string, Buffer][] = [
      ['PRIVATE KEY', derOf(FIXTURE.private['PKCS#8 (PRIVATE KEY)'])],
      ['RSA PRIVATE KEY', derOf(FIXTURE.private['PKCS#1 (RSA PRIVATE KEY)'])],
    ]
    const signature = nodeSign('sha256', Buffer.from(BASE_STRING), certPrivate).toString('base64')
    const mutations = fc.array(byteMutation, { minLength: 1, maxLength: 3 })

    test.each(publicInputs)('%s', async (label, der) => {
      await fc.assert(
        fc.asyncProperty(mutations, async (m) => {
          const text = armour(label, mutateDer(der, m))
          await usableOrRejected(fns.importRsaPublicKey(text))
          await usableOrRejected(
            fns.rsaVerify('SHA-256', BASE_STRING, signature, text).then((ok) => {
              expect(typeof ok).toBe('boolean')
            }),
          )
        }),
        { numRuns: 150 },
      )
    })

    test.each(privateInputs)('%s', async (label, der) => {
      await fc.assert(
        fc.asyncProperty(mutations, async (m) => {
          const text = armour(label, mutateDer(der, m))
          await usableOrRejected(fns.importRsaPrivateKey(text))
          await usableOrRejected(fns.rsaSign('SHA-256', BASE_STRING, text))
        }),
        { numRuns: 100 },
      )
    })
  },
)

// A 512-bit modulus has room for a SHA-256 DigestInfo but not a SHA-512 one (RFC 8017
// §9.2: emLen >= tLen + 11). Such a key is unusable for RSA-SHA512, and both backends must
// say so the same way, as for any other unusable key, not with their own native error.
const small = generateKeyPairSync('rsa', { modulusLength: 512 })
describe.each(BACKENDS.map((b) => [b.name, b] as const))(
  'a key too small for the digest, %s backend',
  (_, backend) => {
    const fns = createSignatureFunctions(backend)
    const privPem = pem(small.privateKey, 'pkcs8')
    const pubPem = pem(small.publicKey, 'spki')

    test('signs with SHA-1 and SHA-256', async () => {
      for (const hash of ['SHA-1', 'SHA-256'] as const) {
        const signature = await fns.rsaSign(hash, BASE_STRING, privPem)
        expect(await fns.rsaVerify(hash, BASE_STRING, signature, pubPem)).toBe(true)
      }
    })

    test('signing with SHA-512 rejects with SignatureMethodRejectedError', async () => {
      await expectRejected(fns.rsaSign('SHA-512', BASE_STRING, privPem))
      await expectRejected(
        fns.rsaSign('SHA-512', BASE_STRING, await fns.importRsaPrivateKey(privPem)),
      )
    })

    test('verifying with SHA-512 answers false', async () => {
      const signature = await fns.rsaSign('SHA-256', BASE_STRING, privPem)
      expect(await fns.rsaVerify('SHA-512', BASE_STRING, signature, pubPem)).toBe(false)
    })
  },
)

// --- a PEM is parsed once ------------------------------------------------------------------

interface Counted {
  readonly backend: CryptoBackend
  readonly imports: { public: number; private: number }
}

function counting(backend: CryptoBackend): Counted {
  const imports = { public: 0, private: 0 }
  return {
    imports,
    backend: {
      ...backend,
      importRsaPublicKey(spki) {
        imports.public++
        return backend.importRsaPublicKey(spki)
      },
      importRsaPrivateKey(pkcs8) {
        imports.private++
        return backend.importRsaPrivateKey(pkcs8)
      },
    },
  }
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))('key cache, %s backend', (_, backend) => {
  test.each(entries({ ...FIXTURE.public }))(
    'a %s PEM is imported once however often it verifies',
    async (__, pubPem) => {
      const { backend: wrapped, imports } = counting(backend)
      const fns: SignatureFunctions = createSignatureFunctions(wrapped)
      const signature = nodeSign('sha256', Buffer.from(BASE_STRING), certPrivate).toString('base64')
      expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, pubPem)).toBe(true)
      expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, pubPem)).toBe(true)
      expect(await fns.rsaVerify('SHA-1', BASE_STRING, signature, pubPem)).toBe(false)
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => fns.rsaVerify('SHA-256', BASE_STRING, signature, pubPem)),
      )
      expect(concurrent).toEqual([true, true, true, true, true])
      expect(imports.public).toBe(1)
      // A different key is a different entry.
      await fns.rsaVerify('SHA-256', BASE_STRING, signature, GENERATED.public['SPKI (PUBLIC KEY)'])
      expect(imports.public).toBe(2)
      expect(imports.private).toBe(0)
    },
  )

  test('a private PEM is imported once however often it signs', async () => {
    const { backend: wrapped, imports } = counting(backend)
    const fns = createSignatureFunctions(wrapped)
    const privPem = FIXTURE.private['PKCS#1 (RSA PRIVATE KEY)']
    const first = await fns.rsaSign('SHA-256', BASE_STRING, privPem)
    await Promise.all([
      fns.rsaSign('SHA-256', BASE_STRING, privPem),
      fns.rsaSign('SHA-1', BASE_STRING, privPem),
      fns.rsaSign('SHA-512', BASE_STRING, privPem),
    ])
    expect(await fns.rsaSign('SHA-256', BASE_STRING, privPem)).toBe(first)
    expect(imports.private).toBe(1)
    expect(imports.public).toBe(0)
  })

  test('an imported key object is never imported again', async () => {
    const { backend: wrapped, imports } = counting(backend)
    const fns = createSignatureFunctions(wrapped)
    const key = await fns.importRsaPublicKey(testCertificatePem())
    const signature = nodeSign('sha512', Buffer.from(BASE_STRING), certPrivate).toString('base64')
    for (let i = 0; i < 3; i++) {
      expect(await fns.rsaVerify('SHA-512', BASE_STRING, signature, key)).toBe(true)
    }
    expect(imports.public).toBe(1)
  })
})

describe('web backend', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('imports a WebCrypto key at most once per hash', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const fns = createSignatureFunctions(webBackend)
    const pubPem = FIXTURE.public['SPKI (PUBLIC KEY)']
    const signature = nodeSign('sha1', Buffer.from(BASE_STRING), certPrivate).toString('base64')
    for (let i = 0; i < 3; i++) {
      expect(await fns.rsaVerify('SHA-1', BASE_STRING, signature, pubPem)).toBe(true)
      expect(await fns.rsaVerify('SHA-256', BASE_STRING, signature, pubPem)).toBe(false)
    }
    // Once eagerly (SHA-256, to reject an unusable key early), once for SHA-1.
    expect(importKey).toHaveBeenCalledTimes(2)
  })
})
