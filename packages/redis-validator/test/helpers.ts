import { createHash, randomBytes } from 'node:crypto'
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis'
import { inject } from 'vitest'

/** Options that make commands fail fast while Redis is away (what the README recommends). */
export const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => Math.min(times * 50, 500),
}

/** A fresh key prefix, so tests sharing a server never see each other's keys. */
export function randomPrefix(): string {
  return `t${randomBytes(6).toString('hex')}:`
}

/** Connects to the run's single Redis (from the global setup) and waits until ready. */
export async function connectRedis(options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(inject('redisUrl'), { ...FAIL_FAST, lazyConnect: true, ...options })
  redis.on('error', () => {})
  await redis.connect()
  return redis
}

/** Connects to the run's three-master Cluster and waits until ready. */
export async function connectCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const cluster = new Cluster(inject('redisClusterNodes'), {
    enableOfflineQueue: false,
    lazyConnect: true,
    redisOptions: { maxRetriesPerRequest: 1 },
    ...options,
  })
  cluster.on('error', () => {})
  await cluster.connect()
  return cluster
}

/** A clock tests move by hand. */
export class TestClock {
  #t = Date.UTC(2026, 0, 1)
  readonly now = (): number => this.#t
  advance(ms: number): void {
    this.#t += ms
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

/** Deletes every key under a prefix (on every master of a Cluster). */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis]
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
      for (const key of keys) await node.del(key)
      cursor = next
    } while (cursor !== '0')
  }
}
