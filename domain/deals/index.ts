// Deal registration aggregate (stream deal-<id>).
export * from './deal.ts'
export * from './decide.ts'
export * from './conflicts.ts'
