import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@x/source'] },
  ssr: { resolve: { conditions: ['@x/source'] } },
  test: {
    name: 'demo-provider',
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
    globalSetup: ['test/setup/redis.ts', 'test/e2e/support/build-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
