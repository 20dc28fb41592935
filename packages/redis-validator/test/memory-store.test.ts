import { MemoryStore } from '@x/oauth1-core'
import { describeStoreConformance } from './store-conformance.ts'

describeStoreConformance({
  name: 'MemoryStore',
  create: (now) => new MemoryStore({ now }),
  realTimeNonceTtl: false,
})
