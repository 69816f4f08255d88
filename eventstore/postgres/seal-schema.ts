// SQL of the signed seals over the global order (docs/decisions/011), run at the end of the event store migration.
export const SEAL_MIGRATION: readonly string[] = []
