// Public face of the projections folder: the projection type, the runner, the read helpers and time travel.
export type { AnyProjection, DocumentSource, Projection } from './projection.ts'
export { applyEvent, defineProjection, foldEvents, handlesEvent, keysFor, takeLogEntries } from './projection.ts'
export type { FailedEvent, ProjectionLogger, ProjectionRunner, ProjectionRunnerOptions, ProjectionState, ProjectionStatus } from './runner.ts'
export { ProjectionWaitTimeout, createProjectionRunner } from './runner.ts'
export type { Checkpoint, CheckpointStatus, DocumentWrite } from './store.ts'
export {
  CheckpointMoved,
  PROJECTIONS_DDL,
  activeVersion,
  loadDocuments,
  migrateProjections,
  readCheckpoint,
  readCheckpoints,
  readDocument,
  readDocuments,
  readFailures,
  readLog,
} from './store.ts'
export type { EventClock, FoldUntilOptions, ProjectionDifference, VerificationReport } from './time-travel.ts'
export { eventTime, foldUntil, jsonEqual, verifyProjection } from './time-travel.ts'
