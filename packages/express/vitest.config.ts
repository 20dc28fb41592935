import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@x/source'] },
  ssr: { resolve: { conditions: ['@x/source'] } },
  test: { name: 'express', include: ['test/**/*.test.ts'] },
})
