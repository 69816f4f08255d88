// Seeds the demo program into an empty store (the portal does this on its first start unless SEED=none) and says how
// long it took, the projections included. Usage: npx tsx cli/seed.ts   (exit 0: seeded or already had data)
import { seedDemo } from '../app/seed.server.ts'
import { withServices } from './open.ts'

const began = Date.now()
const seeded = await withServices((services) => seedDemo(services))
const seconds = ((Date.now() - began) / 1000).toFixed(1)
console.log(seeded ? `Seeded the demo program in ${seconds} s, read models included.` : 'The store already has events: nothing seeded.')
