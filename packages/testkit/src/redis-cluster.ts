import {
  freePorts,
  type RedisServer,
  redisCli,
  startRedisServer,
  waitUntil,
} from './redis-server.js'

/** A node address, as ioredis `Cluster` takes it. */
export interface RedisClusterNode {
  readonly host: string
  readonly port: number
}

/** A running Redis Cluster of masters without replicas. */
export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[]
  readonly servers: readonly RedisServer[]
  /** Stops every node and removes their directories. */
  stop(): Promise<void>
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Number of masters (default 3, the least `redis-cli --cluster create` accepts). */
  readonly masters?: number
}

/**
 * Starts a real Redis Cluster: `redis-server --cluster-enabled yes` on free ports (each
 * with its own directory and cluster bus port), joined with `redis-cli --cluster create
 * … --cluster-replicas 0`, then waits until every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3
  const servers: RedisServer[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()))
  }
  try {
    const ports = await freePorts(2 * masters)
    for (let i = 0; i < masters; i++) {
      servers.push(
        await startRedisServer({
          port: ports[2 * i] as number,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(ports[2 * i + 1]),
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ],
        }),
      )
    }
    const addresses = servers.map((s) => `${s.host}:${s.port}`)
    const first = servers[0] as RedisServer
    await redisCli(
      first.port,
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    )
    for (const server of servers) {
      await waitUntil(`cluster_state:ok on port ${server.port}`, async () =>
        (await redisCli(server.port, 'cluster', 'info')).includes('cluster_state:ok'),
      )
    }
  } catch (error) {
    await stop()
    throw error
  }
  return {
    nodes: servers.map((s) => ({ host: s.host, port: s.port })),
    servers,
    stop,
  }
}
