import type { Cluster } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { RedisStore } from '../src/index.ts'
import { connectCluster, deleteKeys, randomPrefix } from './helpers.ts'
import { describeStoreConformance } from './store-conformance.ts'

let cluster: Cluster
const prefixes: string[] = []
beforeAll(async () => {
  cluster = await connectCluster()
})
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(cluster, prefix)
  await cluster.quit()
})

describeStoreConformance({
  name: 'RedisStore on a three-master Cluster',
  create: (now) => {
    const keyPrefix = randomPrefix()
    prefixes.push(keyPrefix)
    return new RedisStore(cluster, { keyPrefix, now })
  },
  realTimeNonceTtl: true,
})

// A prefix with a hash tag pins every key to one slot: the whole exchange is one script.
describeStoreConformance({
  name: 'RedisStore on a Cluster, one slot (hash-tagged prefix)',
  create: (now) => {
    const keyPrefix = `{${randomPrefix()}}`
    prefixes.push(keyPrefix)
    return new RedisStore(cluster, { keyPrefix, now })
  },
  realTimeNonceTtl: true,
})
