// Sign-in attempts limited per account and per address: a point is taken before the password is checked, atomically in
// the database every process shares (PostgreSQL), or in memory when only one process can open it (PGlite).
import { createHash } from 'node:crypto'
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { SqlDriver } from '../eventstore/postgres/driver.ts'
import { countOf } from './format.ts'

export type SignInLimitOptions = {
  /** attempts per account before it is locked: consecutive ones, a successful sign-in starts again */
  accountAttempts: number
  /** failed attempts per client address (successful ones are given back) */
  addressAttempts: number
  /** how long attempts are counted */
  windowSeconds: number
  /** how long an account or address stays locked once it went over */
  lockSeconds: number
}

export const defaultSignInLimits: SignInLimitOptions = { accountAttempts: 10, addressAttempts: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 }

/** The limits' table under PostgreSQL, with rate-limiter-flexible's columns (AUTH_MIGRATION creates it). */
export const SIGN_IN_LIMITS_TABLE = `create table if not exists sign_in_limits (
  key text primary key,
  points integer not null default 0,
  expire bigint
)`

export type SignInAttempt =
  | { outcome: 'signed-in'; userId: string }
  | { outcome: 'refused' }
  | { outcome: 'limited'; scope: 'account' | 'address'; retryAfterSeconds: number; message: string }

/** Keys are digests: the table holds no email or address in clear (an erased person's email must not stay behind). */
const keyOf = (value: string) => createHash('sha256').update(value).digest('base64url')

export const normaliseEmail = (email: string) => email.trim().toLowerCase()

function limited(scope: 'account' | 'address', res: RateLimiterRes): SignInAttempt {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000))
  const minutes = Math.ceil(retryAfterSeconds / 60)
  const wait = countOf(minutes, 'minute')
  const message = scope === 'account'
    ? `Too many sign-in attempts for this account. Try again in ${wait}.`
    : `Too many sign-in attempts from your network. Try again in ${wait}.`
  return { outcome: 'limited', scope, retryAfterSeconds, message }
}

export function createSignInLimits(sql: SqlDriver, options: SignInLimitOptions = defaultSignInLimits) {
  const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
    const common = { keyPrefix, points, duration: options.windowSeconds, blockDuration: options.lockSeconds }
    if (sql.kind !== 'pg') return new RateLimiterMemory(common)
    const pool = (sql as SqlDriver & { pool?: unknown }).pool
    if (!pool) throw new Error('The PostgreSQL driver exposes no pool for the sign-in limits')
    // the table is created with the other auth tables at start-up, never lazily in a request
    return new RateLimiterPostgres({ ...common, storeClient: pool, storeType: 'pool', tableName: 'sign_in_limits', tableCreated: true })
  }
  const accounts = make('account', options.accountAttempts)
  const addresses = make('address', options.addressAttempts)

  return {
    /**
     * Takes a point from the account and from the address, then (only if neither is locked) runs `verify`. Parallel
     * guesses each take their point first, so they gain nothing over guesses one at a time; nobody waits.
     */
    async attempt(email: string, address: string | null, verify: () => Promise<string | null>): Promise<SignInAttempt> {
      const account = keyOf(normaliseEmail(email))
      const from = address ? keyOf(address) : null
      const [byAccount, byAddress] = await Promise.allSettled([accounts.consume(account), from ? addresses.consume(from) : null])
      for (const [scope, result] of [['account', byAccount], ['address', byAddress]] as const) {
        if (result.status === 'fulfilled') continue
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason // the store failed: refuse rather than guess
        return limited(scope, result.reason)
      }
      const userId = await verify()
      if (!userId) return { outcome: 'refused' }
      // the account's consecutive failures start again; the address keeps only its failures
      await Promise.all([accounts.delete(account), from ? addresses.reward(from, 1) : null])
      return { outcome: 'signed-in', userId }
    },

    /** Lets an account sign in again at once (an operator's unlock). */
    async unlock(email: string) {
      await accounts.delete(keyOf(normaliseEmail(email)))
    },
  }
}

export type SignInLimits = ReturnType<typeof createSignInLimits>
