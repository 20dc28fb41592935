import type { TestProject } from 'vitest/node'
import { startRedisServer } from './redis-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis server shared by the run: `REDIS_URL`, or one spawned for it. */
    redisUrl: string
  }
}

/**
 * vitest globalSetup: uses `REDIS_URL` when set, otherwise starts `redis-server --port
 * <free> --bind 127.0.0.1 --save '' --appendonly no` for the run. Tests read the URL with
 * `inject('redisUrl')` and isolate themselves by a random key prefix.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.REDIS_URL
  if (fromEnv !== undefined && fromEnv !== '') {
    project.provide('redisUrl', fromEnv)
    return async () => {}
  }
  const server = await startRedisServer()
  project.provide('redisUrl', server.url)
  return () => server.stop()
}
