// PSAT survey aggregate (stream survey-<id>).
export * from './survey.ts'
export * from './decide.ts'
