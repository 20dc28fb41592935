import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto'
import type { CryptoBackend, HashName } from './types.js'

const ALGORITHMS: Readonly<Record<HashName, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
}

function assertRsa(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('not an RSA key')
  return key
}

/** The `node:crypto` backend (Node, Bun, Deno): synchronous and several times faster than an awaited WebCrypto call. */
export const backend: CryptoBackend = {
  name: 'node',
  hmacBase64: (hash, key, data) => createHmac(ALGORITHMS[hash], key).update(data).digest('base64'),
  digestBase64: (hash, data) => createHash(ALGORITHMS[hash]).update(data).digest('base64'),
  importRsaPublicKey: (spki) =>
    assertRsa(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })),
  importRsaPrivateKey: (pkcs8) =>
    assertRsa(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })),
  rsaSignBase64: (hash, key, data) =>
    sign(ALGORITHMS[hash], Buffer.from(data, 'utf8'), key as KeyObject).toString('base64'),
  rsaVerify: (hash, key, data, signature) =>
    verify(ALGORITHMS[hash], Buffer.from(data, 'utf8'), key as KeyObject, signature),
  randomBytes: (length) => randomFillSync(new Uint8Array(length)),
}
