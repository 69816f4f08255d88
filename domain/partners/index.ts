// Partner aggregate (stream partner-<id>).
export * from './partner.ts'
export * from './decide.ts'
