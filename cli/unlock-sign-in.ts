// Lets a locked-out account sign in again at once (PostgreSQL; under PGlite the limits are in memory: restart).
// Usage: npm run unlock-sign-in -- <email>   (exit 2 usage, 3 no store)
import { fail, withServices } from './open.ts'

const email = process.argv[2]
if (!email || process.argv.length > 3 || email.startsWith('--')) fail('Usage: npm run unlock-sign-in -- <email>', 2)

await withServices(async (services) => {
  if (services.sql.kind !== 'pg') fail('Under PGlite the sign-in limits live in the portal process: restarting it unlocks every account.', 1)
  await services.sessions.limits.unlock(email)
  console.log(`${email} may sign in again.`)
})
