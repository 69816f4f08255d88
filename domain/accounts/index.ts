// Direct (named) account aggregate (stream account-<id>).
export * from './account.ts'
export * from './decide.ts'
