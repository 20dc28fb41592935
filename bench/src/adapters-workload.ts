import { BENCH_PATH } from './redis-workload.ts'

/** The adapters measured, in order. */
export const ADAPTERS = ['koa', 'express', 'fetch'] as const
export type Adapter = (typeof ADAPTERS)[number]

/** The guarded route: what `signPool` signs (the query is part of the signature). */
export const PROTECTED_PATH = BENCH_PATH
/** The same route without the guard, answering the same JSON. */
export const OPEN_PATH = '/open/photos?size=original'

/** The path part of a route, for the apps' routing. */
export const pathname = (route: string): string => route.split('?')[0] as string
