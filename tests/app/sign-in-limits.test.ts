// Sign-in limits per account and per address: a point is taken before the password is checked, so parallel guesses
// gain nothing; in memory (PGlite: one process) and in PostgreSQL, where two processes share one count.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { migrateAuth } from '../../app/auth.server.ts'
import { createSignInLimits, type SignInLimitOptions } from '../../app/sign-in-limits.server.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { createTestDatabase, postgresOrSkip, type TestDatabase } from '../support/pg-database.ts'

const options: SignInLimitOptions = { accountAttempts: 5, addressAttempts: 12, windowSeconds: 600, lockSeconds: 900 }

/** a password check that counts how often it ran */
function checker(userId = 'u-maria') {
  const counter = { checks: 0, right: (async () => (counter.checks++, userId)), wrong: (async () => (counter.checks++, null)) }
  return counter
}

type Limits = ReturnType<typeof createSignInLimits>

function behavesAsALimit(name: string, open: () => Promise<{ first: Limits; second: Limits }>) {
  describe(name, () => {
    let first: Limits
    let second: Limits
    let n = 0
    // every test its own account and address
    const account = () => `person-${++n}-${Math.random().toString(36).slice(2)}@example.com`
    const address = () => `192.0.2.${++n}`
    beforeAll(async () => {
      ;({ first, second } = await open())
    })

    test('parallel guesses are counted before the password is checked: no more checks than the limit allows', async () => {
      const email = account()
      const password = checker()
      const results = await Promise.all(Array.from({ length: 20 }, () => first.attempt(email, address(), password.wrong)))
      expect(password.checks).toBe(options.accountAttempts)
      expect(results.filter((r) => r.outcome === 'refused')).toHaveLength(options.accountAttempts)
      expect(results.filter((r) => r.outcome === 'limited')).toHaveLength(20 - options.accountAttempts)
    })

    test('after the limit, 10 parallel wrong guesses are all refused without checking the password', async () => {
      const email = account()
      const password = checker()
      for (let i = 0; i < options.accountAttempts; i++) expect((await first.attempt(email, address(), password.wrong)).outcome).toBe('refused')
      const checked = password.checks
      const results = await Promise.all(Array.from({ length: 10 }, () => first.attempt(email, address(), password.wrong)))
      expect(results.map((r) => r.outcome)).toEqual(Array(10).fill('limited'))
      expect(password.checks).toBe(checked)
      const [one] = results
      expect(one).toMatchObject({ scope: 'account', message: 'Too many sign-in attempts for this account. Try again in 15 minutes.' })
      expect(one!.outcome === 'limited' && one!.retryAfterSeconds).toBeGreaterThan(14 * 60)
    })

    test('after the limit, a batch of wrong guesses with the right password does not sign in', async () => {
      const email = account()
      const password = checker()
      for (let i = 0; i < options.accountAttempts; i++) await first.attempt(email, address(), password.wrong)
      const batch = [...Array.from({ length: 9 }, () => password.wrong), password.right]
      const results = await Promise.all(batch.map((verify) => first.attempt(email, address(), verify)))
      expect(results.some((r) => r.outcome === 'signed-in')).toBe(false)
      expect(await first.attempt(email, address(), password.right)).toMatchObject({ outcome: 'limited' })
    })

    test('a successful sign-in starts the count of consecutive failures again', async () => {
      const email = account()
      const password = checker()
      for (let i = 0; i < options.accountAttempts - 1; i++) await first.attempt(email, address(), password.wrong)
      expect(await first.attempt(email, address(), password.right)).toEqual({ outcome: 'signed-in', userId: 'u-maria' })
      for (let i = 0; i < options.accountAttempts - 1; i++) expect((await first.attempt(email, address(), password.wrong)).outcome).toBe('refused')
      expect(await first.attempt(email, address(), password.right)).toEqual({ outcome: 'signed-in', userId: 'u-maria' })
    })

    test('the account is the same account whatever the case and spaces of its email', async () => {
      const email = account()
      const password = checker()
      for (let i = 0; i < options.accountAttempts; i++) await first.attempt(i % 2 ? email.toUpperCase() : ` ${email} `, address(), password.wrong)
      expect((await first.attempt(email, address(), password.right)).outcome).toBe('limited')
    })

    test('one address guessing across many accounts is limited too; its successful sign-ins are not held against it', async () => {
      const from = address()
      const password = checker()
      for (let i = 0; i < 30; i++) expect((await first.attempt(account(), from, password.right)).outcome).toBe('signed-in')
      for (let i = 0; i < options.addressAttempts; i++) expect((await first.attempt(account(), from, password.wrong)).outcome).toBe('refused')
      const checked = password.checks
      const blocked = await first.attempt(account(), from, password.right)
      expect(blocked).toMatchObject({ outcome: 'limited', scope: 'address', message: 'Too many sign-in attempts from your network. Try again in 15 minutes.' })
      expect(password.checks).toBe(checked)
      // another address is not affected
      expect((await first.attempt(account(), address(), password.right)).outcome).toBe('signed-in')
    })

    test('an operator can unlock an account at once', async () => {
      const email = account()
      const password = checker()
      for (let i = 0; i <= options.accountAttempts; i++) await first.attempt(email, address(), password.wrong)
      expect((await first.attempt(email, address(), password.right)).outcome).toBe('limited')
      await first.unlock(email)
      expect((await first.attempt(email, address(), password.right)).outcome).toBe('signed-in')
    })

    test('the count is shared by every limit on the same database', async () => {
      const email = account()
      const password = checker()
      const all = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? first : second).attempt(email, address(), password.wrong)))
      expect(all.filter((r) => r.outcome === 'refused')).toHaveLength(options.accountAttempts)
      expect((await second.attempt(email, address(), password.right)).outcome).toBe('limited')
      expect((await first.attempt(email, address(), password.right)).outcome).toBe('limited')
    })
  })
}

// PGlite is opened by one process only (its lock file refuses a second), so its limits live in that process's memory
behavesAsALimit('sign-in limits in memory (PGlite)', async () => {
  const limits = createSignInLimits({ kind: 'pglite' } as SqlDriver, options)
  return { first: limits, second: limits }
})

const baseUrl = postgresOrSkip('sign-in limits in PostgreSQL')
if (baseUrl) {
  let database: TestDatabase
  const drivers: SqlDriver[] = []
  behavesAsALimit('sign-in limits in PostgreSQL, two processes', async () => {
    database = await createTestDatabase(baseUrl, 'signin')
    for (let i = 0; i < 2; i++) drivers.push(await createPgDriver(database.url))
    await migrateAuth(drivers[0]!)
    return { first: createSignInLimits(drivers[0]!, options), second: createSignInLimits(drivers[1]!, options) }
  })
  afterAll(async () => {
    for (const driver of drivers) await driver.close()
    await database?.drop()
  })
}
