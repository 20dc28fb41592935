import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@x/source'] },
  ssr: { resolve: { conditions: ['@x/source'] } },
  test: { name: 'bench', include: ['test/**/*.test.ts'] },
})
