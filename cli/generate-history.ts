// Generates a realistic program history (see app/seed/history/generator.ts) and appends it to a database.
//
//   npx tsx cli/generate-history.ts --partners 1000 --events 1000000 [--seed 7] [--start 2023-01-02] (--database-url postgres://... | --data-dir ./data)
//
//   --concurrency 8 appends independent streams concurrently (PostgreSQL only; see AppendHistoryOptions)
import { appendHistory } from '../app/seed/history/append.ts'
import { historyEvents } from '../app/seed/history/generator.ts'

export { appendHistory, type AppendHistoryOptions } from '../app/seed/history/append.ts'
export { generateHistory, historyEvents, type GeneratedEvent, type HistoryOptions } from '../app/seed/history/generator.ts'

// ---- command line ------------------------------------------------------------------------------------------------

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=')
}

async function main(argv: string[]) {
  const partners = Number(arg(argv, 'partners') ?? 1000)
  const events = Number(arg(argv, 'events') ?? 1_000_000)
  const seed = Number(arg(argv, 'seed') ?? 7)
  const start = arg(argv, 'start')
  const concurrency = Number(arg(argv, 'concurrency') ?? 1)
  const databaseUrl = arg(argv, 'database-url')
  const dataDir = arg(argv, 'data-dir')
  if (!databaseUrl && !dataDir) throw new Error('Give --database-url postgres://... or --data-dir <dir>')
  const { EVENT_STORE_MIGRATIONS } = await import('../eventstore/postgres/schema.ts')
  const { runMigrations } = await import('../eventstore/postgres/migrations.ts')
  const { createPostgresEventStore } = await import('../eventstore/postgres/store.ts')
  const { createSqlKeyStore, KEY_STORE_MIGRATION } = await import('../eventstore/postgres/key-store.ts')
  const { createPortalCodec } = await import('../app/codec.server.ts')
  let driver
  if (databaseUrl) {
    const { createPgDriver } = await import('../eventstore/postgres/pg-driver.ts')
    driver = await createPgDriver(databaseUrl)
  } else {
    const { createPGliteDriver } = await import('../eventstore/postgres/pglite-driver.ts')
    driver = await createPGliteDriver({ dataDir })
  }
  // the event store's and the keys' numbered migrations; the portal runs the rest when it starts on this database
  await runMigrations(driver, [...EVENT_STORE_MIGRATIONS, KEY_STORE_MIGRATION].sort((a, b) => a.number - b.number))
  // the portal's codec: personal fields are stored encrypted, with their keys in the same database
  const store = createPostgresEventStore({ driver, codec: createPortalCodec(createSqlKeyStore(driver)) })
  const began = Date.now()
  const count = await appendHistory(store, historyEvents({ partners, events, seed, start, validate: false }), (n) =>
    console.info(`${n} events appended (${Math.round(n / ((Date.now() - began) / 1000))}/s)`),
  { concurrency: dataDir ? 1 : concurrency })
  console.info(`Appended ${count} events for ${partners} partners in ${((Date.now() - began) / 1000).toFixed(1)} s`)
  await store.close()
  await driver.close()
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
