import type { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { RedisStore } from '../src/index.ts'
import { connectRedis, deleteKeys, randomPrefix } from './helpers.ts'
import { describeStoreConformance } from './store-conformance.ts'

let redis: Redis
const prefixes: string[] = []
beforeAll(async () => {
  redis = await connectRedis()
})
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix)
  await redis.quit()
})

describeStoreConformance({
  name: 'RedisStore on one server',
  create: (now) => {
    const keyPrefix = randomPrefix()
    prefixes.push(keyPrefix)
    return new RedisStore(redis, { keyPrefix, now })
  },
  realTimeNonceTtl: true,
})
