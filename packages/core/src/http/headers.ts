/** Headers as frameworks hand them over: Node's `IncomingHttpHeaders`, or a Fetch `Headers`. */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Lower-cased header names, repeated values joined with `, ` (RFC 9110 §5.3), HTTP/2
 * pseudo-headers dropped: the shape of `OAuthRequest.headers`.
 *
 * @param source - Framework headers.
 * @returns A plain record.
 * @example
 * ```ts
 * normalizeHeaders({ Host: 'example.com', 'X-A': ['1', '2'] }) // { host: 'example.com', 'x-a': '1, 2' }
 * ```
 */
export function normalizeHeaders(source: HeaderSource): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof Headers !== 'undefined' && source instanceof Headers) {
    source.forEach((value, name) => {
      out[name] = value
    })
    return out
  }
  for (const [name, value] of Object.entries(
    source as Record<string, string | readonly string[] | undefined>,
  )) {
    if (value === undefined || name.startsWith(':')) continue
    const lower = name.toLowerCase()
    const text = typeof value === 'string' ? value : value.join(', ')
    out[lower] = out[lower] === undefined ? text : `${out[lower]}, ${text}`
  }
  return out
}

/**
 * One header value from a {@link HeaderSource}, case-insensitively; repeated values
 * joined with `, `.
 *
 * @example
 * ```ts
 * headerValue({ host: 'example.com' }, 'Host') // 'example.com'
 * ```
 */
export function headerValue(source: HeaderSource, name: string): string | undefined {
  const lower = name.toLowerCase()
  if (typeof Headers !== 'undefined' && source instanceof Headers)
    return source.get(lower) ?? undefined
  const record = source as Readonly<Record<string, string | readonly string[] | undefined>>
  let value = record[lower]
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key]
        break
      }
    }
  }
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.join(', ')
}
