import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@x/source'] },
  ssr: { resolve: { conditions: ['@x/source'] } },
  test: {
    name: 'redis-validator',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/redis.ts', 'test/setup/redis-cluster.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
