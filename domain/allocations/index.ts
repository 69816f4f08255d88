// Fund allocation aggregate (stream allocation-<partnerId>-<quarter>).
export * from './allocation.ts'
export * from './decide.ts'
export * from './tier-allocation.ts'
