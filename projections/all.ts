// Every projection the portal runs, in one list (the runner, verify and the benchmarks use it).
import { assetsProjection, assetUsageProjection, enablementPartnersProjection } from './assets.ts'
import { assessmentsProjection, coursesProjection, trainingProjection } from './training.ts'
import { dealsProjection } from './deals.ts'
import { directAccountsProjection } from './accounts.ts'
import { fundsProjections } from './funds.ts'
import { plansProjection, surveyAnswersProjection, surveyRoundsProjection, workshopsProjection } from './engagement.ts'
import { journeyProjection } from './journey.ts'
import { programProjection } from './program.ts'
import { trustProjection } from './trust.ts'
import { partnersProjection, programSettingsProjection } from './partners.ts'
import type { AnyProjection } from './projection.ts'
import { organisationsProjection, usersProjection } from './users.ts'

export const allProjections: AnyProjection[] = [
  usersProjection,
  organisationsProjection,
  dealsProjection, directAccountsProjection,
  journeyProjection,
  // the journey's documents hold the pyramid stage and the facts scorecard and lifetime value are read from (decision 026)
  trustProjection, programProjection,
  partnersProjection, programSettingsProjection,
  assetsProjection, assetUsageProjection, enablementPartnersProjection, coursesProjection, assessmentsProjection, trainingProjection,
  workshopsProjection, surveyRoundsProjection, surveyAnswersProjection, plansProjection,
  ...fundsProjections,
]
