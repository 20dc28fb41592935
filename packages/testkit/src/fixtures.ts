import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Folder of the committed test fixtures. */
export const FIXTURES_DIR: string = fileURLToPath(new URL('../fixtures/', import.meta.url))

const cache = new Map<string, string>()

/** Reads (once) a fixture file of `packages/testkit/fixtures` as text. */
export function readFixture(name: string): string {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
    cache.set(name, text)
  }
  return text
}

/** A self-signed X.509 test certificate (PEM `CERTIFICATE`) holding a 2048-bit RSA key. Test only. */
export function testCertificatePem(): string {
  return readFixture('rsa-2048-cert.pem')
}

/** The PKCS#8 PEM (`PRIVATE KEY`) private key of {@link testCertificatePem}. Test only. */
export function testCertificateKeyPem(): string {
  return readFixture('rsa-2048-key.pem')
}

/**
 * The protocol parameter names a provider reads from a request (RFC 5849 §3.1, §2.2,
 * §2.3, and `oauth_body_hash`), written out here once for the tests that generate
 * headers and requests from them. The core keeps its own list: tests name them
 * independently of it.
 */
export const PROTOCOL_PARAMETER_NAMES: readonly string[] = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_callback',
  'oauth_verifier',
  'oauth_body_hash',
]
