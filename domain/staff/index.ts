// Vendor staff aggregate (stream vendor-<id>).
export * from './staff.ts'
export * from './decide.ts'
