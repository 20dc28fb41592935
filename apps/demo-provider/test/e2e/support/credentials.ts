import { createPublicKey, randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FIXTURES_DIR, testCertificateKeyPem } from '@x/oauth1-testkit'

/** The forms of public key `DEMO_CLIENT_RSA_PUBLIC_KEY` accepts. */
export type PublicKeyFormat = 'x509' | 'spki' | 'pkcs1'

/** The seeded client as the tests sign with it. */
export interface DemoClient {
  readonly key: string
  readonly secret: string
  readonly callback: string
  /** PKCS#8 PEM private key matching the seeded public key (test-only fixture). */
  readonly privateKeyPem: string
  /** Path of the private key file (for the Python client). */
  readonly privateKeyPath: string
  /** Path of the public key file given to the demo. */
  readonly publicKeyPath: string
}

const dir = mkdtempSync(join(tmpdir(), 'oauth1-demo-e2e-'))

/** Writes the testkit's test key pair in the given public format and returns it as a client. */
export function demoClient(label: string, format: PublicKeyFormat, callback: string): DemoClient {
  const privateKeyPem = testCertificateKeyPem()
  const privateKeyPath = join(FIXTURES_DIR, 'rsa-2048-key.pem')
  let publicKeyPath = join(FIXTURES_DIR, 'rsa-2048-cert.pem')
  if (format !== 'x509') {
    const pem = createPublicKey(privateKeyPem).export({ type: format, format: 'pem' }).toString()
    publicKeyPath = join(dir, `${label}-${format}.pem`)
    writeFileSync(publicKeyPath, pem)
  }
  return {
    // Not oauthlib's 20-30 alphanumerics: real clients send keys like this.
    key: `demo-e2e.${label}_${randomBytes(3).toString('hex')}`,
    secret: `e2e secret&/=+~ ${randomBytes(4).toString('hex')}`,
    callback,
    privateKeyPem,
    privateKeyPath,
    publicKeyPath,
  }
}
