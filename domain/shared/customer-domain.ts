// Facts about a customer's web domain that domain/ cannot know by itself (the public suffix list changes and lives
// outside): the app looks them up and hands them in with the command; the rule that refuses is here.
import { ValidationError } from './errors.ts'
import { DOMAIN } from './domains.ts'

export type DomainFacts = {
  /** the domain is a suffix many companies' domains end in ("co.uk", "github.io": the public suffix list) */
  publicSuffix: boolean
}

/**
 * A public suffix is no one customer's domain: registered, it would conflict with, and protect the partner against,
 * every customer under it. Refused on the field, with a hint; a malformed domain is left to the field's own check.
 */
export function requireOneCustomersDomain(domain: string, facts: DomainFacts, field = 'customerDomain'): void {
  if (DOMAIN.test(domain) && facts.publicSuffix)
    throw new ValidationError(`"${domain}" is a suffix that many companies' domains end in, not one customer's domain: enter the customer's own, e.g. customer.${domain}`, field)
}
