// Workshop aggregate (stream workshop-<id>).
export * from './workshop.ts'
export * from './decide.ts'
