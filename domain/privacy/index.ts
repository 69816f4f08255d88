// Erasure aggregate (stream erasure-<subject>).
export * from './erasure.ts'
export * from './decide.ts'
