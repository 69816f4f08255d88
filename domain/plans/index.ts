// Joint business plan aggregate (stream plan-<partnerId>).
export * from './plan.ts'
export * from './decide.ts'
