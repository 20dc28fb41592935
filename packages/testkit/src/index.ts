export {
  FIXTURES_DIR,
  readFixture,
  testCertificateKeyPem,
  testCertificatePem,
} from './fixtures.ts'
export {
  loadOauthlibVectors,
  OAUTHLIB_VECTORS_PATH,
  type OauthlibVectors,
  type Vector,
  vectorGroup,
  vectorKey,
} from './vectors.ts'
