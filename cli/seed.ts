// Seeds the demo program into an empty store (the portal does this on its first start unless SEED=none).
// Usage: npx tsx cli/seed.ts   (exit 0: seeded or already had data)
import { seedDemo } from '../app/seed.server.ts'
import { withServices } from './open.ts'

const seeded = await withServices((services) => seedDemo(services))
console.log(seeded ? 'Seeded the demo program.' : 'The store already has events: nothing seeded.')
