// Lets a locked-out account sign in again at once, instead of waiting for its lock to pass.
// Usage: npm run unlock-sign-in -- <email>   (PostgreSQL: DATABASE_URL as the portal's; exit 0: unlocked, 2: usage,
// 3: the store could not be opened). Under PGlite the limits live in the portal process's memory: restart it instead.
import { fail, withServices } from './open.ts'

const email = process.argv[2]
if (!email || process.argv.length > 3 || email.startsWith('--')) fail('Usage: npm run unlock-sign-in -- <email>', 2)

await withServices(async (services) => {
  if (services.sql.kind !== 'pg') fail('Under PGlite the sign-in limits live in the portal process: restarting it unlocks every account.', 1)
  await services.sessions.limits.unlock(email)
  console.log(`${email} may sign in again.`)
})
