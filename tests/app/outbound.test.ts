// Outbound HTTP from tests goes through msw: a request to a third party that no handler answers is refused.
import { expect, test, vi } from 'vitest'

test('an unmocked third-party request fails instead of reaching the network', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const error = await fetch('https://api.example.com/partners').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(TypeError)
  expect(String(logged.mock.calls[0]?.[0])).toContain('without a matching request handler')
  logged.mockRestore()
})
