import type { TestProject } from 'vitest/node'
import { type RedisClusterNode, startRedisCluster } from './redis-cluster.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Startup nodes of the three-master Redis Cluster spawned for the run. */
    redisClusterNodes: RedisClusterNode[]
  }
}

/**
 * vitest globalSetup: starts a three-master Redis Cluster for the run and tears it down
 * after. Tests read the startup nodes with `inject('redisClusterNodes')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster({ masters: 3 })
  project.provide('redisClusterNodes', [...cluster.nodes])
  return () => cluster.stop()
}
