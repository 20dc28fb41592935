export {
  BODY_ALREADY_PARSED,
  CONFORMANCE_CLIENTS,
  type ConformanceClientRecord,
  type ConformanceServer,
  type ConformanceServerOptions,
  type ConformanceWarning,
  type MakeConformanceServer,
  runAdapterConformance,
} from './adapter-conformance.js'
export {
  FIXTURES_DIR,
  PROTOCOL_PARAMETER_NAMES,
  readFixture,
  testCertificateKeyPem,
  testCertificatePem,
} from './fixtures.js'
export {
  type HttpRequestInit,
  type HttpResult,
  httpRequest,
  sendAndDisconnect,
} from './http-client.js'
export {
  percentEncode,
  type SignedRequest,
  type SignerClient,
  type SignerToken,
  type SignInput,
  signRequest,
} from './oauth1a-signer.js'
export {
  type RedisCluster,
  type RedisClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js'
export {
  freePort,
  freePorts,
  type RedisServer,
  type RedisServerOptions,
  redisCli,
  startRedisServer,
  waitUntil,
} from './redis-server.js'
export {
  loadOauthlibVectors,
  OAUTHLIB_VECTORS_PATH,
  type OauthlibVectors,
  type Vector,
  vectorGroup,
  vectorKey,
} from './vectors.js'
