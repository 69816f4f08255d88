// The public-suffix rule: the app hands in whether a domain is a public suffix; the domain refuses it.
import { describe, expect, it } from 'vitest'
import { requireOneCustomersDomain } from '../../domain/shared/customer-domain.ts'
import { ValidationError } from '../../domain/shared/errors.ts'

describe('requireOneCustomersDomain', () => {
  it('refuses a public suffix on the field, with a hint', () => {
    let thrown: unknown
    try {
      requireOneCustomersDomain('co.uk', { publicSuffix: true })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ValidationError)
    expect((thrown as ValidationError).message).toMatch(/"co.uk" is a suffix .* e\.g\. customer\.co\.uk/)
    expect(thrown).toMatchObject({ field: 'customerDomain' })
  })
  it("accepts one customer's domain, and leaves a malformed one to the field's own check", () => {
    expect(() => requireOneCustomersDomain('acme.co.uk', { publicSuffix: false })).not.toThrow()
    expect(() => requireOneCustomersDomain('not a domain', { publicSuffix: true })).not.toThrow()
  })
})
