// Asset aggregate (stream asset-<id>).
export * from './asset.ts'
export * from './decide.ts'
