// The role navigation holds at most seven items (../shared/UX.md); pages reached from a section mark that section.
import { expect, test } from 'vitest'
import { navFor } from '../../app/components/shell.tsx'

const roles = ['partner_user', 'partner_admin', 'channel_manager', 'vendor_admin', 'auditor'] as const

test.each(roles)('%s: at most seven items, each path once', (role) => {
  const items = navFor(role, 3)
  expect(items.length).toBeLessThanOrEqual(7)
  const paths = items.flatMap((item) => [item.to, ...(item.also ?? [])])
  expect(new Set(paths).size).toBe(paths.length)
})

test('direct accounts are part of the Partners section for vendor staff', () => {
  expect(navFor('vendor_admin', 0).find((item) => item.label === 'Partners')?.also).toContain('/vendor/accounts')
})
