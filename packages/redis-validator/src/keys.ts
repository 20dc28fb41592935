import { createHash } from 'node:crypto'
import type { NonceKey } from '@x/oauth1-core'

/**
 * Whether a key prefix carries a Redis Cluster hash tag (`{…}`, non-empty): then every
 * key of the store hashes to that one slot.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{')
  if (open === -1) return false
  const close = prefix.indexOf('}', open + 1)
  return close > open + 1
}

/**
 * The key layout. Each identifier sits in a hash tag, so a key's Cluster slot depends on
 * the identifier alone; the tagged keys of one client (`client`, `atClient`) share a slot.
 */
export class KeyLayout {
  readonly prefix: string
  readonly clients: string

  constructor(prefix: string) {
    this.prefix = prefix
    this.clients = `${prefix}clients`
  }

  client(clientKey: string): string {
    return `${this.prefix}client:{${clientKey}}`
  }

  /**
   * A digest of client, token, timestamp and nonce: fixed size whatever the client sends,
   * and no token in key names.
   */
  nonce(key: NonceKey): string {
    const token = key.token ?? ''
    // Length prefixes keep the parts unambiguous whatever characters they hold.
    const id = `${key.clientKey.length}:${key.clientKey}${token.length}:${token}${key.timestamp.length}:${key.timestamp}${key.nonce}`
    return `${this.prefix}nonce:${createHash('sha256').update(id, 'utf8').digest('base64url')}`
  }

  requestToken(token: string): string {
    return `${this.prefix}rt:{${token}}`
  }

  accessToken(token: string): string {
    return `${this.prefix}at:{${token}}`
  }

  /** SCAN pattern matching every access-token key. */
  accessTokenPattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}at:*`
  }

  accessTokensOfClient(clientKey: string): string {
    return `${this.prefix}at-client:{${clientKey}}`
  }

  accessTokensOfOwner(resourceOwner: string): string {
    return `${this.prefix}at-owner:{${resourceOwner}}`
  }
}
