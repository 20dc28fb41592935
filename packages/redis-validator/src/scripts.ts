import { createHash } from 'node:crypto'

/** A Lua script, run with EVALSHA and loaded with EVAL when the server lacks it. */
export interface LuaScript {
  readonly name: string
  readonly lua: string
  readonly sha: string
}

function script(name: string, lua: string): LuaScript {
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/**
 * Binds a verifier to a request token that has none yet (RFC 5849 §2.2: approval happens
 * once). KEYS: request token. ARGV: now (ms), verifier hash, realms (JSON), whether an
 * owner is given ('1'/'0'), owner. Returns 1 when bound, 0 otherwise.
 */
export const AUTHORIZE: LuaScript = script(
  'authorize',
  `local f = redis.call('HMGET', KEYS[1], 'expiresAt', 'verifierHash')
if not f[1] or tonumber(f[1]) <= tonumber(ARGV[1]) or f[2] then return 0 end
redis.call('HSET', KEYS[1], 'verifierHash', ARGV[2], 'realms', ARGV[3])
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], 'resourceOwner', ARGV[5])
else
  redis.call('HDEL', KEYS[1], 'resourceOwner')
end
return 1`,
)

/**
 * Exchanges a request token (RFC 5849 §2.3), at most once: the token exists, is
 * unexpired, belongs to the client and carries the verifier's hash; then it is deleted.
 * With KEYS[2..] (one slot: a single node, or a prefix with a hash tag) the access token
 * and its index entries are written in the same step.
 * KEYS: request token [, access token, client index [, owner index]].
 * ARGV: client key, verifier hash, now (ms), access token, its JSON, its TTL in ms (0: none).
 * Returns 1 when exchanged, 0 otherwise.
 */
export const EXCHANGE: LuaScript = script(
  'exchange',
  `local f = redis.call('HMGET', KEYS[1], 'clientKey', 'verifierHash', 'expiresAt')
if not f[1] or f[1] ~= ARGV[1] or not f[2] or f[2] ~= ARGV[2] or not f[3]
  or tonumber(f[3]) <= tonumber(ARGV[3]) then
  return 0
end
redis.call('DEL', KEYS[1])
if #KEYS > 1 then
  local ttl = tonumber(ARGV[6])
  if ttl > 0 then
    redis.call('SET', KEYS[2], ARGV[5], 'PX', ttl)
  else
    redis.call('SET', KEYS[2], ARGV[5])
  end
  redis.call('SADD', KEYS[3], ARGV[4])
  if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[4]) end
end
return 1`,
)
