// SQL of the signed seals over the global order (docs/decisions/011), part of migration 002-event-store (decision 014):
// applied once, so a change to the table is a new numbered migration.
export const SEAL_MIGRATION: readonly string[] = [
  // One row per seal: the events after the previous seal's `to` through its own `to`, in the global order
  // (transaction_id, global_position); the fields and the signature of eventstore/seal.ts.
  `create table if not exists seals (
    seal_number bigint primary key check (seal_number > 0),
    from_transaction xid8 not null,
    from_position bigint not null,
    to_transaction xid8 not null,
    to_position bigint not null,
    event_count bigint not null,
    merkle_root bytea not null,
    previous_hash bytea not null,
    sealed_at timestamptz not null,
    key_id text not null,
    signature bytea not null
  )`,
]
