// Erases a person's personal data: deletes their keys and credentials, records PersonErased (decision 004).
// Usage: npx tsx cli/erase.ts <userId> [--yes]  (without --yes shows what would go; exit 1 refused, 2 usage, 3 no store)
import type { CurrentUser } from '../app/auth.server.ts'
import { DomainError } from '../domain/shared/errors.ts'
import { fail, withServices } from './open.ts'

const args = process.argv.slice(2)
const userId = args.find((a) => !a.startsWith('--'))
const unknown = args.filter((a) => a.startsWith('--') && a !== '--yes')
if (!userId || unknown.length > 0) fail('Usage: npx tsx cli/erase.ts <userId> [--yes]', 2)
const confirmed = args.includes('--yes')

await withServices(async (services) => {
  const privacy = services.commands.privacy
  const plan = await privacy.plan(userId)
  if (!plan) fail(`No user with id "${userId}"`, 1)
  if (plan.alreadyErased) fail(`The personal data of ${userId} was already erased`, 1)
  const contacts = plan.targets.filter((t) => t.what === 'profile contact').length
  const workshops = plan.targets.filter((t) => t.what === 'workshop attendees').length
  console.log(`${plan.user.name} <${plan.user.email}> (${plan.user.role} of ${plan.user.organisationId}): account in ${plan.targets[0]?.eventIds.length ?? 0} events, ${contacts} profile contacts, ${workshops} workshop attendee lists`)
  if (!confirmed) {
    console.log('Nothing erased. Run again with --yes to erase it for good.')
    return
  }
  const vendor = (await services.sql.query<{ id: string }>(
    `select rm.key as id from read_models rm join projection_checkpoints pc on pc.projection = rm.projection and pc.version = rm.version and pc.status = 'active'
      where rm.projection = 'organisations' and rm.state->>'kind' = 'vendor' order by rm.key limit 1`,
  )).rows[0]?.id ?? 'vendor'
  // the operator acts as a vendor admin, as the set-up does
  const operator: CurrentUser = { userId: 'system:cli', name: 'Command line', email: 'cli@localhost', role: 'vendor_admin', organisationId: vendor, organisationName: vendor }
  try {
    await privacy.eraseUser(operator, userId)
  } catch (error) {
    if (error instanceof DomainError) fail(`Refused: ${error.message}`, 1)
    throw error
  }
  console.log(`Erased the personal data of ${userId}.`)
})
