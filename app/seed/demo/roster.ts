// Who is in the demo program: the vendor's staff, the two partners the demo logins belong to, and sixty more drawn
// with a fixed seed (company, city, people, customers), each with the kind of partner it turns out to be.
import { PARTNER_TYPES, SEGMENTS, type PartnerKind } from '../history/catalogue.ts'
import { prng } from '../history/random.ts'
import { COMPANY_KINDS, COMPANY_WORDS, CUSTOMER_NAMES, CUSTOMER_TRADES, MARKETS, slug } from './names.ts'

export const VENDOR_ID = 'vendor'

export const demoPeople = {
  sam: { userId: 'u-sam', name: 'Sam Rivera', email: 'sam@vendor.example', role: 'channel_manager' as const },
  vera: { userId: 'u-vera', name: 'Vera Lindqvist', email: 'vera@vendor.example', role: 'vendor_admin' as const },
  alex: { userId: 'u-alex', name: 'Alex Morgan', email: 'alex@vendor.example', role: 'auditor' as const },
  maria: { userId: 'u-maria', name: 'Maria Jensen', email: 'maria@northwind.example', partnerId: 'northwind' },
  li: { userId: 'u-li', name: 'Li Wei', email: 'li@contoso.example', partnerId: 'contoso' },
}

/** the other channel managers: each looks after a territory */
export const moreManagers = [
  { userId: 'u-priya', name: 'Priya Natarajan', email: 'priya@vendor.example', role: 'channel_manager' as const },
  { userId: 'u-tomas', name: 'Tomás Ortega', email: 'tomas@vendor.example', role: 'channel_manager' as const },
  { userId: 'u-ines', name: 'Inês Carvalho', email: 'ines@vendor.example', role: 'channel_manager' as const },
]

/** the channel manager of a country's partners */
export function managerFor(country: string): string {
  if (['DE', 'AT', 'CH', 'PL'].includes(country)) return 'u-sam'
  if (['UK', 'IE', 'SE', 'DK', 'NO'].includes(country)) return 'u-priya'
  if (['FR', 'BE', 'NL', 'ES', 'IT'].includes(country)) return 'u-tomas'
  return 'u-ines'
}

/** what kind of partner it turns out to be: how active, how invested */
export type Archetype = 'champion' | 'growing' | 'steady' | 'newcomer' | 'dormant' | 'applicant' | 'rejected'
export type Person = { userId: string; name: string; email: string }
export type Customer = { name: string; domain: string }
export type DemoPartner = {
  id: string
  company: string
  websiteDomain: string
  country: string
  city: string
  geographies: string[]
  segments: string[]
  partnerType: PartnerKind
  archetype: Archetype
  /** days after the program's start that it applies */
  appliesOnDay: number
  manager: string
  /** the applicant (its first admin) first */
  people: Person[]
  customers: Customer[]
  /** the highest tier the quarterly review gives it: the demo's cast keeps the tiers its guide and tests name */
  topTier?: string
}

const ARCHETYPES: [Archetype, number, [number, number]][] = [
  // kind, how many, applying between these days of the program
  ['champion', 7, [0, 110]],
  ['growing', 15, [20, 420]],
  ['steady', 15, [40, 520]],
  ['dormant', 6, [15, 240]],
  ['newcomer', 10, [600, 760]],
  ['applicant', 4, [775, 796]],
  ['rejected', 3, [90, 700]],
]

const named = (partnerId: string, userId: string, name: string, email: string): Person => ({ userId, name, email: email || `${name.split(' ')[0]!.toLowerCase()}@${partnerId}.example` })

/** The demo's partners, always the same: Northwind and Contoso first, then sixty drawn with seed 2026. */
export function demoPartners(): DemoPartner[] {
  const r = prng(2026)
  const customerPool = CUSTOMER_NAMES.flatMap((n) => CUSTOMER_TRADES.map((t) => `${n} ${t}`))
  // a fixed shuffle, so every partner sells to customers of its own
  for (let i = customerPool.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1))
    ;[customerPool[i], customerPool[j]] = [customerPool[j]!, customerPool[i]!]
  }
  let nextCustomer = 0
  const customers = (n: number) => customerPool.slice(nextCustomer, (nextCustomer += n)).map((name) => ({ name, domain: `${slug(name)}.example` }))
  const partners: DemoPartner[] = [
    {
      id: 'northwind', company: 'Northwind IT', websiteDomain: 'northwind.example', country: 'DE', city: 'Hamburg', geographies: ['DE', 'AT', 'CH'],
      segments: ['mid-market'], partnerType: 'var', archetype: 'champion', appliesOnDay: 4, manager: 'u-sam',
      people: [
        { userId: demoPeople.maria.userId, name: demoPeople.maria.name, email: demoPeople.maria.email },
        named('northwind', 'u-northwind-jonas', 'Jonas Weber', ''), named('northwind', 'u-northwind-lena', 'Lena Fischer', ''),
      ],
      customers: customers(8),
    },
    {
      id: 'contoso', company: 'Contoso MSP', websiteDomain: 'contoso.example', country: 'UK', city: 'Leeds', geographies: ['UK', 'IE'],
      segments: ['smb'], partnerType: 'msp', archetype: 'growing', appliesOnDay: 34, manager: 'u-sam', topTier: 'silver',
      people: [{ userId: demoPeople.li.userId, name: demoPeople.li.name, email: demoPeople.li.email }, named('contoso', 'u-contoso-aoife', 'Aoife Byrne', '')],
      customers: customers(7),
    },
  ]
  const words = [...COMPANY_WORDS]
  let index = 0
  for (const [archetype, count, [from, to]] of ARCHETYPES) {
    for (let i = 0; i < count; i++) {
      const market = r.pick(MARKETS)
      const partnerType = r.pick(PARTNER_TYPES)
      const word = words.splice(Math.floor(r.next() * words.length), 1)[0]!
      const brand = `${word} ${r.pick(COMPANY_KINDS[partnerType])}`
      const id = slug(brand)
      const domain = `${id}.example`
      const peopleCount = archetype === 'champion' ? 4 : archetype === 'growing' ? 3 : archetype === 'steady' ? 2 : 1
      const used = new Set<string>()
      const people: Person[] = []
      while (people.length < peopleCount) {
        const first = r.pick(market.first)
        if (used.has(first)) continue
        used.add(first)
        const name = `${first} ${r.pick(market.last)}`
        people.push({ userId: `u-${id}-${people.length + 1}`, name, email: `${slug(first)}@${domain}` })
      }
      const segments = [...new Set([r.pick(SEGMENTS), ...(r.chance(0.4) ? [r.pick(SEGMENTS)] : [])])]
      partners.push({
        id, company: `${brand} ${market.legal}`, websiteDomain: domain, country: market.country, city: r.pick(market.cities),
        geographies: r.chance(0.5) ? market.region : [market.country], segments, partnerType, archetype,
        appliesOnDay: Math.round(from + ((to - from) * (i + r.next())) / count), manager: managerFor(market.country),
        people, customers: customers(archetype === 'champion' ? 7 : 5),
      })
      index++
    }
  }
  return partners
}
