// Feeds projections from the event store into their SQL documents; composes the parts in projections/runner/
// and is what the app, the CLI and tests import.
import { Supervisor } from './runner/supervisor.ts'
import type { ProjectionRunner, ProjectionRunnerOptions } from './runner/types.ts'
import { waitFor } from './runner/wait.ts'

export { migrateProjections } from './store.ts'
export type {
  FailedEvent,
  ProjectionLogger,
  ProjectionRunner,
  ProjectionRunnerOptions,
  ProjectionState,
  ProjectionStatus,
} from './runner/types.ts'
export { ProjectionWaitTimeout } from './runner/types.ts'

export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const names = new Set<string>()
  for (const projection of options.projections) {
    if (names.has(projection.name)) throw new Error(`Two projections are named ${projection.name}`)
    if (!Number.isInteger(projection.version)) throw new Error(`Projection ${projection.name}: version must be an integer`)
    names.add(projection.name)
  }
  const supervisor = new Supervisor(options)
  return {
    start: () => supervisor.start(),
    stop: () => supervisor.stop(),
    waitFor: (position, timeoutMs = 5000) => waitFor(supervisor.driver, supervisor.members, supervisor.progress, position, timeoutMs),
    status: () => supervisor.members.map((member) => member.status()),
  }
}
