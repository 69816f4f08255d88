// The dashboard reads the fund settings' documents and the survey rounds held with the program figures (decision 037),
// not in its statement: the tier card equals the funds page's read (tierProgressOf), the open rounds not answered equal
// what the answers say, and a tier, settings or survey change shows on the next view (a new read-model state).
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { CurrentUser } from '../../app/auth.server.ts'
import { engagementQueries, openRoundsNotAnsweredBy } from '../../app/queries/engagement.server.ts'
import { fundsQueries, tierProgressFrom, tierProgressHeldSets } from '../../app/queries/funds.server.ts'
import type { AppServices } from '../../app/services.server.ts'
import { openTestServices, type TestServices } from '../support/services.ts'

let services: AppServices
let opened: TestServices | undefined
beforeAll(async () => {
  opened = await openTestServices('dashboard-held')
  services = opened.services
})
afterAll(() => opened?.close())

const vera: CurrentUser = { userId: 'u-vera', name: 'Vera', email: 'vera@vendor.example', role: 'vendor_admin', organisationId: 'vendor', organisationName: 'Vendor' }

async function dashboardTier(partnerId: string, now: string) {
  const readModels = (await services.queries.users.signedIn('u-maria')).readModels
  const { sets } = await services.queries.insights.partnerWith(partnerId, now, { journeyHistory: 'last', lifetime: false, readModels }, tierProgressHeldSets())
  return tierProgressFrom(sets, partnerId, sets.doc('journey', partnerId), now)
}

test("the tier card from the held fund settings equals the funds page's, before and after a tier and a settings change", async () => {
  const now = () => services.clock().toISOString()
  for (const partnerId of ['northwind', 'contoso']) expect(await dashboardTier(partnerId, now())).toEqual(await fundsQueries(services.sql).tierProgressOf(partnerId, now()))
  const before = await dashboardTier('northwind', now())
  const tiers = before.tiers.map((t) => t.name)
  const other = tiers.find((t) => t !== before.current?.name)!
  await services.commands.people.changeTier(vera, 'northwind', other, 'Reviewed for the test')
  const changed = await dashboardTier('northwind', now())
  expect(changed.current?.name).toBe(other)
  expect(changed).toEqual(await fundsQueries(services.sql).tierProgressOf('northwind', now()))
  // the settings: a new allocation for that tier, from now on
  const settings = await fundsQueries(services.sql).settings(now())
  const allocation = (settings.fundAllocationByTier[other] ?? 0) + 1234
  const at = now()
  await services.commands.people.changeSettings(vera, at, { ...settings, fundAllocationByTier: { ...settings.fundAllocationByTier, [other]: allocation } }, undefined, at)
  const later = await dashboardTier('northwind', now())
  expect(later.current?.allocationPerQuarter).toBe(allocation)
  expect(later).toEqual(await fundsQueries(services.sql).tierProgressOf('northwind', now()))
  // another partner's tier is its own
  expect(await dashboardTier('contoso', now())).toEqual(await fundsQueries(services.sql).tierProgressOf('contoso', now()))
})

const maria = { userId: 'u-maria', organisationId: 'northwind', role: 'partner_admin' as const }
const sam = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' as const }

async function dashboardSurveys(partnerId: string, now: string) {
  const readModels = (await services.queries.users.signedIn('u-maria')).readModels
  await services.queries.insights.partnerWith(partnerId, now, { journeyHistory: 'last', lifetime: false, readModels }, {})
  return openRoundsNotAnsweredBy(services.queries.insights.heldDocs('survey_rounds'), partnerId).map((r) => r.surveyId)
}

/** the open rounds a partner has not answered, as the statement read them before (every open round less its answers) */
async function fromAnswers(partnerId: string) {
  const surveys = engagementQueries(services.sql).surveys
  const answered = new Set((await surveys.openAnswersOf(partnerId)).map((a) => a.surveyId))
  return (await surveys.open()).filter((r) => !answered.has(r.surveyId)).map((r) => r.surveyId)
}

test('the open survey rounds a partner has not answered come from the held rounds, and an answer or a close shows on the next view', async () => {
  const now = () => services.clock().toISOString()
  const { surveyId } = await services.commands.engagement.openSurveyRound({ actor: sam }, ['Support', 'Enablement'])
  const { surveyId: second } = await services.commands.engagement.openSurveyRound({ actor: sam }, ['Marketing'])
  for (const partnerId of ['northwind', 'contoso']) {
    expect(await dashboardSurveys(partnerId, now())).toEqual(expect.arrayContaining([surveyId, second]))
    expect(await dashboardSurveys(partnerId, now())).toEqual(await fromAnswers(partnerId))
  }
  await services.commands.engagement.answerSurvey({ actor: maria }, { surveyId, partnerId: 'northwind', scores: { Support: 8, Enablement: 6 }, comment: '' })
  expect(await dashboardSurveys('northwind', now())).not.toContain(surveyId)
  expect(await dashboardSurveys('northwind', now())).toEqual(await fromAnswers('northwind'))
  // another partner's answer is not this one's
  expect(await dashboardSurveys('contoso', now())).toContain(surveyId)
  await services.commands.engagement.closeSurveyRound({ actor: sam }, second)
  for (const partnerId of ['northwind', 'contoso']) {
    expect(await dashboardSurveys(partnerId, now())).not.toContain(second)
    expect(await dashboardSurveys(partnerId, now())).toEqual(await fromAnswers(partnerId))
  }
})
