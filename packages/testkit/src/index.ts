export {
  BODY_ALREADY_PARSED,
  CONFORMANCE_CLIENTS,
  type ConformanceClientRecord,
  type ConformanceServer,
  type ConformanceServerOptions,
  type ConformanceWarning,
  type MakeConformanceServer,
  runAdapterConformance,
} from './adapter-conformance.ts'
export {
  FIXTURES_DIR,
  readFixture,
  testCertificateKeyPem,
  testCertificatePem,
} from './fixtures.ts'
export {
  type HttpRequestInit,
  type HttpResult,
  httpRequest,
  sendAndDisconnect,
} from './http-client.ts'
export {
  percentEncode,
  type SignedRequest,
  type SignerClient,
  type SignerToken,
  type SignInput,
  signRequest,
} from './oauth1a-signer.ts'
export {
  type RedisCluster,
  type RedisClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.ts'
export {
  freePort,
  freePorts,
  type RedisServer,
  type RedisServerOptions,
  redisCli,
  startRedisServer,
  waitUntil,
} from './redis-server.ts'
export {
  loadOauthlibVectors,
  OAUTHLIB_VECTORS_PATH,
  type OauthlibVectors,
  type Vector,
  vectorGroup,
  vectorKey,
} from './vectors.ts'
