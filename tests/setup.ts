// Shared test set-up: a test that logs console.error fails unless it says it expects one (vi.spyOn(console, 'error')).
import { afterEach, vi } from 'vitest'

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
