// Customer and partner web domains: one normal form, and which domains belong to one family.

/** lower-case, without scheme, credentials, path, port, trailing dot or leading www. */
export function normaliseDomain(input: string): string {
  let d = input.trim().toLowerCase()
  d = d.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
  d = d.replace(/^[^@/]*@/, '')
  d = d.split(/[/?#]/)[0] ?? ''
  d = d.replace(/:\d+$/, '').replace(/\.$/, '').replace(/^www\./, '')
  return d
}
export const DOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/

/** a.example.com and example.com are one family: either equals or is a subdomain of the other */
export function sameDomainFamily(a: string, b: string): boolean {
  const x = normaliseDomain(a)
  const y = normaliseDomain(b)
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`)
}

