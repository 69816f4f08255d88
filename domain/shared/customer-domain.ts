// Facts about a customer's domain that domain/ cannot know (the public suffix list lives outside): the app hands them
// in with the command; the rule that refuses is here.
import { ValidationError } from './errors.ts'
import { DOMAIN } from './domains.ts'

export type DomainFacts = {
  /** the domain is a suffix many companies' domains end in ("co.uk", "github.io": the public suffix list) */
  publicSuffix: boolean
}

/** Refuses a public suffix: it is no one customer's domain and would protect the partner against every customer under it. */
export function requireOneCustomersDomain(domain: string, facts: DomainFacts, field = 'customerDomain'): void {
  if (DOMAIN.test(domain) && facts.publicSuffix)
    throw new ValidationError(`"${domain}" is a suffix that many companies' domains end in, not one customer's domain: enter the customer's own, e.g. customer.${domain}`, field)
}
