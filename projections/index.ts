// Public face of the projections folder: the projection type, the runner, the read helpers and time travel.
export type { Projection } from './projection.ts'
export type { ProjectionRunner } from './runner.ts'
export { ProjectionWaitTimeout, createProjectionRunner } from './runner.ts'
export {
  activeVersion,
  migrateProjections,
  readCheckpoint,
  readCheckpoints,
  readDocument,
  readDocuments,
  readFailures,
  readLog,
} from './store.ts'
export { foldUntil, jsonEqual, verifyProjection } from './time-travel.ts'
