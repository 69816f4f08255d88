// Questions the people, partner-administration and settings pages ask of the read models.
import { settingsInForce, type SettingsHistory } from '../../domain/settings/settings.ts'
import type { ProgramSettings } from '../../domain/settings/defaults.ts'
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { ProgramSettingsDoc } from '../../projections/partners.ts'
import type { PageRequest } from '../paging.ts'
import { sql as q } from 'kysely'
import { doc, eb, everyDoc, field, listDocs, pageOf } from './read-models.server.ts'

export function peopleQueries(sql: SqlExecutor) {
  const settingsDoc = async () => (await doc(sql, 'program-settings', 'program')) ?? { changes: [] }
  return {
    partner: (partnerId: string) => doc(sql, 'partners', partnerId),
    /** a page of the applications waiting for a decision, oldest first */
    applications: (page?: PageRequest) =>
      pageOf(sql, { projection: 'partners', where: eb(field('status'), '=', q.lit('Applied')), orderBy: [[field('appliedAt'), 'asc']] }, page),
    recentlyDecided: (limit = 10) =>
      listDocs(sql, { projection: 'partners', where: eb(field('status'), '<>', q.lit('Applied')), orderBy: [[field('decidedAt'), 'desc nulls last']] }, limit),
    /** every partner, by company name (however many) */
    partners: () => everyDoc(sql, { projection: 'partners' }).then((list) => list.sort((a, b) => a.company.localeCompare(b.company))),
    /** vendor staff (channel managers, vendor admins, auditors), by name: all of them (the pick lists of managers need every one) */
    staff: () =>
      everyDoc(sql, { projection: 'users', where: eb(field('organisationKind'), '=', q.lit('vendor')) }).then((list) => list.sort((a, b) => a.name.localeCompare(b.name))),
    user: (userId: string) => doc(sql, 'users', userId),
    settingsHistory: async () => (await settingsDoc()).changes,
    /** the settings in force at `at`, and the history they were picked from */
    async settingsAt(at: string): Promise<{ settings: ProgramSettings; history: ProgramSettingsDoc['changes'] }> {
      const { changes } = await settingsDoc()
      const history: SettingsHistory = { status: changes.length ? 'Changed' : 'Defaults', changes }
      return { settings: settingsInForce(history, at), history: changes }
    },
  }
}
export type PeopleQueries = ReturnType<typeof peopleQueries>
