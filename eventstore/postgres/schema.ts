// The event store's SQL schema (one for PGlite and PostgreSQL) and its idempotent migration.
import { createHash } from 'node:crypto'
import type { SqlDriver, SqlExecutor } from './driver.ts'
import { runMigrations, type Migration } from './migrations.ts'
import { SEAL_MIGRATION } from './seal-schema.ts'

/** Status values returned by partnerlog_append. */
export type AppendStatus = 'ok' | 'idempotent' | 'wrong_expected_version' | 'partial_duplicate' | 'duplicate_elsewhere'

export const APPEND_FUNCTION = 'partnerlog_append'

/** SQL twin of eventHash (eventstore/chain.ts): single appends and the migration's chaining call it */
export const HASH_FUNCTION = 'partnerlog_event_hash'
/** the window aggregate batches were chained with before decision 015 (dropped) */
export const CHAIN_AGGREGATE = 'partnerlog_chain'

/** The append function's call: the batch as ids, types, and data and metadata as json arrays (appendArguments). */
export const APPEND_CALL = `${APPEND_FUNCTION}($1, $2, $3::uuid[], $4::text[], $5::json, $6::json, $7)`

/**
 * The batch's parameters of APPEND_CALL ($3-$6): each element of the json arrays is stored, and hashed, as this text.
 * Null data or metadata is refused here, as the columns' not null refused it when the batch was one jsonb parameter.
 */
export function appendArguments(events: readonly { id: string; type: string; data: unknown; metadata: unknown }[]): [string[], string[], string, string] {
  for (const e of events) {
    if (e.data == null || e.metadata == null) throw new TypeError(`Event ${e.id} (${e.type}) has no ${e.data == null ? 'data' : 'metadata'}: the events table refuses null`)
  }
  return [events.map((e) => e.id), events.map((e) => e.type), JSON.stringify(events.map((e) => e.data)), JSON.stringify(events.map((e) => e.metadata))]
}

/** First key ('Strm') of the advisory lock serialising appends to one stream; the second is hashtext(stream id). */
export const STREAM_LOCK_NAMESPACE = 0x5374726d

/**
 * Statements run in order inside one transaction, under an advisory lock so that two processes migrating at
 * once do not race. Every statement is idempotent.
 */
export const MIGRATION: readonly string[] = [
  `create table if not exists streams (
    stream_id text collate "C" primary key,
    revision bigint not null
  )`,
  `create table if not exists events (
    global_position bigserial primary key,
    transaction_id xid8 not null default pg_current_xact_id(),
    event_id uuid not null unique,
    stream_id text collate "C" not null,
    stream_revision bigint not null,
    type text not null,
    data jsonb not null,
    metadata jsonb not null,
    recorded_at timestamptz not null default now(),
    unique (stream_id, stream_revision)
  )`,
  // No foreign key from events to streams: the append function, the only writer, writes the stream's row first, and
  // the key's per-row check slowed every append. Databases created with it lose it here.
  `do $$
  declare c name;
  begin
    for c in select conname from pg_constraint where conrelid = 'events'::regclass and contype = 'f' loop
      execute format('alter table events drop constraint %I', c);
    end loop;
  end
  $$`,
  // Stream ids compare byte by byte (collation "C"), sparing every append strcoll along two indexes; only equality
  // and the indexes use the order. Databases with another collation move to "C" here (two indexes rebuilt once).
  `do $$
  begin
    if (select attcollation from pg_attribute where attrelid = 'streams'::regclass and attname = 'stream_id') <> 'pg_catalog."C"'::regcollation then
      alter table streams alter column stream_id type text collate "C";
    end if;
    if (select attcollation from pg_attribute where attrelid = 'events'::regclass and attname = 'stream_id') <> 'pg_catalog."C"'::regcollation then
      alter table events alter column stream_id type text collate "C";
    end if;
  end
  $$`,
  // the global order: readAll / subscribeToAll are range scans of this index
  `create index if not exists events_transaction_position on events (transaction_id, global_position)`,
  // The per-stream hash chain (docs/decisions/011): each event's hash covers the previous event's hash in its stream.
  `alter table events add column if not exists hash bytea, add column if not exists previous_hash bytea`,
  // One row: events up to migrated_through were chained by this migration (at migrated_at), not as they were appended.
  `create table if not exists chain_state (
    id boolean primary key default true check (id),
    migrated_through bigint,
    migrated_at timestamptz
  )`,
  // eventstore/chain.ts's canonical encoding in SQL (netstrings of the event's fields, SHA-256); p_state or, when it
  // is null, p_first is the previous event's hash.
  `create or replace function ${HASH_FUNCTION}(
    p_state bytea, p_first bytea, p_id uuid, p_stream_id text, p_revision bigint, p_type text, p_data text, p_metadata text,
    p_recorded_micros text
  ) returns bytea
  language plpgsql immutable parallel safe
  as $fn$
  declare
    v_revision text := p_revision::text;
  begin
    -- a uuid's text is always 36 characters, a hash's hex 64
    return sha256(convert_to(concat(
      '19:partnerlog-event-v1,',
      '64:', encode(coalesce(p_state, p_first), 'hex'), ',',
      '36:', p_id, ',',
      octet_length(p_stream_id), ':', p_stream_id, ',',
      length(v_revision), ':', v_revision, ',',
      octet_length(p_type), ':', p_type, ',',
      octet_length(p_data), ':', p_data, ',',
      octet_length(p_metadata), ':', p_metadata, ',',
      length(p_recorded_micros), ':', p_recorded_micros, ','),
      'UTF8'));
  end
  $fn$`,
  `drop aggregate if exists ${CHAIN_AGGREGATE}(bytea, uuid, text, bigint, text, text, text, text)`,
  // Chains an unchained store once, in revision order per stream; never again, so an event inserted later without a
  // hash stays visible to verify instead of being chained on the next start.
  `do $$
  declare
    r record;
    v_prev bytea;
    v_hash bytea;
    v_stream text;
    v_revision bigint;
    v_through bigint;
  begin
    if exists (select 1 from chain_state) then return; end if;
    select max(e.global_position) into v_through from events e where e.hash is null;
    for r in select e.global_position, e.event_id, e.stream_id, e.stream_revision, e.type, e.data::text as data,
                    e.metadata::text as metadata, e.recorded_at
               from events e where e.hash is null order by e.stream_id, e.stream_revision loop
      if v_stream is distinct from r.stream_id or v_revision <> r.stream_revision - 1 then
        v_prev := coalesce((select e.hash from events e where e.stream_id = r.stream_id and e.stream_revision = r.stream_revision - 1),
                           decode(repeat('00', 32), 'hex'));
      end if;
      v_hash := ${HASH_FUNCTION}(null, v_prev, r.event_id, r.stream_id, r.stream_revision, r.type, r.data, r.metadata,
                                 ((extract(epoch from r.recorded_at) * 1000000)::bigint)::text);
      update events set hash = v_hash, previous_hash = v_prev where global_position = r.global_position;
      v_prev := v_hash;
      v_stream := r.stream_id;
      v_revision := r.stream_revision;
    end loop;
    insert into chain_state (id, migrated_through, migrated_at) values (true, v_through, case when v_through is null then null else now() end);
  end
  $$`,
  // The batch was one jsonb parameter before decision 015.
  `drop function if exists ${APPEND_FUNCTION}(text, text, jsonb, text)`,
  // Appends a batch to one stream in one round trip ('classify' sorts out a unique violation on event_id). The stream's
  // advisory lock is taken before the transaction has an id, so within a stream global order is revision order. The
  // batch's data and metadata are json arrays: each element is the text the client sent, stored and hashed as it is.
  `create or replace function ${APPEND_FUNCTION}(
    p_stream_id text,
    p_expected text,
    p_ids uuid[],
    p_types text[],
    p_data json,
    p_metadata json,
    p_channel text
  ) returns table (status text, revision bigint, commit_position text, prepare_position bigint)
  language plpgsql
  set search_path from current
  as $fn$
  #variable_conflict use_column
  declare
    v_count int := coalesce(cardinality(p_ids), 0);
    v_current bigint;
    v_present int;
    v_elsewhere int;
    v_next bigint;
    v_expected bigint;
    v_own_xid xid8;
    v_now timestamptz := now();
    v_micros text := ((extract(epoch from now()) * 1000000)::bigint)::text;
    v_first bytea;
    v_data json[];
    v_meta json[];
    v_prevs bytea[];
    v_hashes bytea[];
    v_hash bytea;
    v_rev text;
    v_text text;
    v_mtext text;
    v_stream text;
  begin
    if p_expected not in ('any', 'no_stream', 'stream_exists', 'classify') then
      v_expected := p_expected::bigint;
    end if;
    -- the hash covers the text sent, which only a json column stores as it is (migration 008)
    if v_count > 0 and (select a.atttypid from pg_attribute a where a.attrelid = 'events'::regclass and a.attname = 'data') <> 'json'::regtype then
      raise exception 'events.data is not json: run the event store''s migration 008 before appending';
    end if;
    if v_count > 0 and p_expected <> 'classify' then
      v_own_xid := pg_current_xact_id_if_assigned();
      perform pg_advisory_xact_lock(${STREAM_LOCK_NAMESPACE}, hashtext(p_stream_id));
      if v_own_xid is not null
        and (select e.transaction_id from events e where e.stream_id = p_stream_id order by e.stream_revision desc limit 1) > v_own_xid then
        raise exception 'stream % has an event of a newer transaction than this one, which wrote before it appended', p_stream_id
          using errcode = 'serialization_failure', hint = 'Append in a new transaction.';
      end if;
    end if;
    -- fast paths: one statement moves the stream's revision and takes its row lock
    if v_count > 0 then
      if p_expected = 'no_stream' then
        insert into streams (stream_id, revision) values (p_stream_id, v_count - 1) on conflict (stream_id) do nothing;
        if found then v_next := v_count - 1; end if;
      elsif v_expected is not null then
        update streams s set revision = s.revision + v_count where s.stream_id = p_stream_id and s.revision = v_expected
          returning s.revision into v_next;
      elsif p_expected in ('any', 'stream_exists') then
        loop
          update streams s set revision = s.revision + v_count where s.stream_id = p_stream_id returning s.revision into v_next;
          exit when v_next is not null or p_expected = 'stream_exists';
          insert into streams (stream_id, revision) values (p_stream_id, v_count - 1) on conflict (stream_id) do nothing;
          if found then
            v_next := v_count - 1;
            exit;
          end if;
          -- a concurrent append created the stream first: update its row
        end loop;
      end if;
      if v_next is not null then
        -- chain: under the stream's lock, each event's hash covers the one before it (recorded_at is fixed here for it)
        v_first := coalesce((select e.hash from events e where e.stream_id = p_stream_id and e.stream_revision = v_next - v_count),
                            decode(repeat('00', 32), 'hex'));
        if v_count = 1 then
          -- one event (most commands): no window to run
          return query
            with inserted as (
              insert into events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, previous_hash, hash)
                select x.id, p_stream_id, v_next, x.type, x.data, x.metadata, v_now, v_first,
                       ${HASH_FUNCTION}(null, v_first, x.id, p_stream_id, v_next, x.type, x.data::text, x.metadata::text, v_micros)
                  from rows from (unnest(p_ids), unnest(p_types), json_array_elements(p_data), json_array_elements(p_metadata))
                         as x(id, type, data, metadata)
                returning events.transaction_id, events.global_position
            )
            select 'ok'::text, v_next, i.transaction_id::text, i.global_position from inserted i;
        else
        -- a batch: the chain by a loop over the events, one statement each (cheaper than an aggregate step per row), the
        -- same bytes as ${HASH_FUNCTION}; the rows are then inserted from the arrays
        v_data := array(select e from json_array_elements(p_data) e);
        v_meta := array(select e from json_array_elements(p_metadata) e);
        v_stream := octet_length(p_stream_id) || ':' || p_stream_id || ',';
        for k in 1..v_count loop
          v_rev := (v_next - v_count + k)::text;
          v_text := v_data[k]::text;
          v_mtext := v_meta[k]::text;
          v_prevs[k] := coalesce(v_hash, v_first);
          v_hash := sha256(convert_to(concat('19:partnerlog-event-v1,64:', encode(v_prevs[k], 'hex'), ',36:', p_ids[k], ',', v_stream,
            length(v_rev), ':', v_rev, ',', octet_length(p_types[k]), ':', p_types[k], ',', octet_length(v_text), ':', v_text, ',',
            octet_length(v_mtext), ':', v_mtext, ',', length(v_micros), ':', v_micros, ','), 'UTF8'));
          v_hashes[k] := v_hash;
        end loop;
        return query
          with inserted as (
            insert into events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, previous_hash, hash)
              select u.id, p_stream_id, v_next - v_count + u.o, u.type, u.data, u.metadata, v_now, u.prev, u.hash
                from rows from (unnest(p_ids), unnest(p_types), unnest(v_data), unnest(v_meta), unnest(v_prevs), unnest(v_hashes))
                       with ordinality as u(id, type, data, metadata, prev, hash, o)
                order by u.o
              returning events.transaction_id, events.global_position
          )
          select 'ok'::text, v_next, i.transaction_id::text, i.global_position
            from inserted i order by i.global_position desc limit 1;
        end if;
        -- p_channel is kept for compatibility (the bench's diagnosis); the store notifies after commit (store.ts)
        if p_channel is not null then
          perform pg_notify(p_channel, p_stream_id);
        end if;
        return;
      end if;
    end if;

    -- slow path: the expected revision did not hold (or an empty append): a retry of events already stored, or a conflict
    select s.revision into v_current from streams s where s.stream_id = p_stream_id for share;
    if v_count > 0 then
      select count(*) filter (where e.stream_id = p_stream_id), count(*) into v_present, v_elsewhere
        from events e where e.event_id = any (p_ids);
      v_elsewhere := v_elsewhere - v_present;
      if v_elsewhere > 0 then
        return query select 'duplicate_elsewhere'::text, v_current, null::text, null::bigint;
      elsif v_present = v_count then
        return query
          select 'idempotent'::text, v_current, e.transaction_id::text, e.global_position
            from events e where e.event_id = p_ids[v_count];
      elsif v_present > 0 then
        return query select 'partial_duplicate'::text, v_current, null::text, null::bigint;
      else
        return query select 'wrong_expected_version'::text, v_current, null::text, null::bigint;
      end if;
      return;
    end if;
    if (p_expected = 'no_stream' and v_current is not null)
      or (p_expected = 'stream_exists' and v_current is null)
      or (v_expected is not null and v_current is distinct from v_expected) then
      return query select 'wrong_expected_version'::text, v_current, null::text, null::bigint;
      return;
    end if;
    return query
      select 'ok'::text, coalesce(v_current, -1::bigint),
             coalesce((select e.transaction_id::text from events e
                        where e.stream_id = p_stream_id and e.stream_revision = v_current), '-1'),
             coalesce((select e.global_position from events e
                        where e.stream_id = p_stream_id and e.stream_revision = v_current), -1::bigint);
  end
  $fn$`,
  ...SEAL_MIGRATION,
]

/** Function bodies (and a drop before a signature changes): these change, and can always run again. */
const isFunctionStatement = (statement: string) => /^\s*(create\s+or\s+replace|drop)\s+(function|aggregate|procedure)\b/i.test(statement)

/** MIGRATION's digest as a database migrated before the runner recorded it (table event_store_schema). */
const LEGACY_DIGEST = createHash('sha256').update(MIGRATION.join('\n;\n')).digest('hex')

/** A database that ran this very MIGRATION before the runner has both event store migrations: they run no DDL there. */
async function ranThisMigration(tx: SqlExecutor): Promise<boolean> {
  const { rows } = await tx.query<{ present: boolean }>(`select to_regclass('event_store_schema') is not null as present`)
  if (!rows[0]?.present) return false
  const recorded = await tx.query<{ migration: string }>('select migration from event_store_schema')
  return recorded.rows[0]?.migration === LEGACY_DIGEST
}

/**
 * The event store's numbered migrations (docs/decisions/014): the functions are one re-runnable migration, run first
 * because the tables' migration calls the hash function; a change to the tables is a new numbered migration.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  { number: 1, name: 'event-store-functions', rerunnable: true, statements: MIGRATION.filter(isFunctionStatement), adopted: ranThisMigration },
  { number: 2, name: 'event-store', statements: MIGRATION.filter((statement) => !isFunctionStatement(statement)), adopted: ranThisMigration },
  // Data and metadata keep the text the client sent (docs/decisions/015). jsonb becomes json through jsonb's text, the
  // very text the chain hashed until then, so stored hashes still verify. Rewrites the table once, under its lock.
  {
    number: 8,
    name: 'event-json-columns',
    statements: [`alter table events alter column data type json using data::json, alter column metadata type json using metadata::json`],
  },
]

/**
 * Creates or updates the event store schema in the driver's current schema (search_path). An up-to-date database runs
 * no DDL, since DDL locks the events table and would deadlock with another process's appends.
 */
export async function migrate(driver: SqlDriver): Promise<void> {
  await runMigrations(driver, EVENT_STORE_MIGRATIONS)
}
