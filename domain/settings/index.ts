// Program settings aggregate (stream settings-program) and the defaults.
export * from './defaults.ts'
export * from './settings.ts'
export * from './decide.ts'
export * from './tiers.ts'
