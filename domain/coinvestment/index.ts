// Co-investment aggregate (stream coinvest-<id>); its money lives on the allocation stream.
export * from './coinvestment.ts'
export * from './decide.ts'
export * from './settlement.ts'
