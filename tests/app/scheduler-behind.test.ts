// The scheduler puts its run off while this process's read models are far behind the log (a fresh server catching up).
import { describe, expect, it } from 'vitest'
import { START } from '../../eventstore/types.ts'
import type { ProjectionStatus } from '../../projections/runner.ts'
import { projectionsBehind } from '../../app/scheduler.server.ts'

const at = { commit: 10n, prepare: 10n }
const status = (name: string, state: ProjectionStatus['state'], lag = 0, position = at): ProjectionStatus => ({ name, version: 1, state, position, lag })

describe('projectionsBehind', () => {
  it('names projections starting, or catching up from the start or with events older than the limit', () => {
    expect(projectionsBehind([
      status('a', 'starting'),
      status('b', 'catching-up', 0, START),
      status('c', 'catching-up', 86_400_000),
      status('d', 'live'),
    ])).toEqual(['a', 'b', 'c'])
  })

  it('lets the run go on when projections are live, just behind, rebuilding beside the active version, or stopped on an event', () => {
    expect(projectionsBehind([
      status('a', 'live'),
      status('b', 'catching-up', 300),
      status('c', 'building', 86_400_000),
      status('d', 'halted'),
      status('e', 'waiting-for-lease'),
    ])).toEqual([])
  })
})
