// Shared test set-up: msw refuses any outbound HTTP to third parties; a test that logs console.error fails unless it
// says it expects one (vi.spyOn(console, 'error')).
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { server, startMockServer } from './mocks/index.ts'

beforeAll(() => startMockServer())
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

let errors: unknown[][] = []
const original = console.error
console.error = (...args: unknown[]) => {
  errors.push(args)
  original(...args)
}
afterEach(() => {
  const logged = errors
  errors = []
  if (vi.isMockFunction(console.error)) return
  if (logged.length > 0) throw new Error(`console.error was called: ${logged.map((a) => a.map(String).join(' ')).join(' | ')}`)
})
