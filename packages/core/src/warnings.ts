/** A warning about an insecure or unusual setting. */
export interface OAuth1Warning {
  /** Stable identifier, e.g. `insecure-transport`. */
  readonly code: string
  readonly message: string
}

/** Receives warnings. Never given secrets. */
export type WarningHandler = (warning: OAuth1Warning) => void

/** The default handler: `console.warn`, available on every runtime. */
export const defaultWarningHandler: WarningHandler = (warning) => {
  globalThis.console?.warn(`[oauth1] ${warning.code}: ${warning.message}`)
}

/** Wraps a handler so that each warning code is announced once. */
export function once(handler: WarningHandler): WarningHandler {
  const seen = new Set<string>()
  return (warning) => {
    if (seen.has(warning.code)) return
    seen.add(warning.code)
    handler(warning)
  }
}
