import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Path of the repo's copy of the oauthlib vector file (identical to the reference copy). */
export const OAUTHLIB_VECTORS_PATH: string = fileURLToPath(
  new URL('../vectors/oauthlib-vectors.json', import.meta.url),
)

/** One vector: its group-specific fields vary (see the file's `schema`). */
export interface Vector {
  readonly id: string
  readonly source: string
  readonly origin: string
  readonly notes?: string
  readonly [field: string]: unknown
}

/** The vector file. */
export interface OauthlibVectors {
  readonly schema_version: number
  readonly scenario_defaults: Record<string, unknown>
  readonly keys: Readonly<
    Record<string, { readonly format: string; readonly bits: number; readonly pem: string }>
  >
  readonly groups: Readonly<Record<string, readonly Vector[]>>
}

let cached: OauthlibVectors | undefined

/** Loads (once) the oauthlib vector file. */
export function loadOauthlibVectors(): OauthlibVectors {
  cached ??= JSON.parse(readFileSync(OAUTHLIB_VECTORS_PATH, 'utf8')) as OauthlibVectors
  return cached
}

/** The vectors of one group; throws if the group is missing or empty, so a test cannot pass on nothing. */
export function vectorGroup<T extends Vector = Vector>(name: string): readonly T[] {
  const group = loadOauthlibVectors().groups[name]
  if (!group || group.length === 0) throw new Error(`vector group ${name} is missing or empty`)
  return group as readonly T[]
}

/** The PEM text of a test key by its id in the vector file. */
export function vectorKey(id: string): string {
  const key = loadOauthlibVectors().keys[id]
  if (!key) throw new Error(`unknown vector key ${id}`)
  return key.pem
}
