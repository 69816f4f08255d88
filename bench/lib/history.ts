// Loads a generated history into the events table with multi-row inserts of the rows the append function writes,
// in generator order: far faster than appendHistory for a large bench database (bench/README.md).
import type { SqlExecutor } from '../../eventstore/postgres/driver.ts'
import type { GeneratedEvent } from '../../cli/generate-history.ts'

const CHUNK = 1000

/** Inserts the history (streams upserted at their running revision). Returns the number of events. */
export async function loadHistory(db: SqlExecutor, events: Iterable<GeneratedEvent>, onProgress?: (loaded: number) => void): Promise<number> {
  const revisions = new Map<string, number>()
  let chunk: GeneratedEvent[] = []
  let loaded = 0
  let reported = 0
  const flush = async () => {
    if (chunk.length === 0) return
    const ids: string[] = [], streams: string[] = [], revs: string[] = [], types: string[] = [], datas: string[] = [], metas: string[] = []
    const touched = new Map<string, number>()
    for (const { streamId, event } of chunk) {
      const revision = (revisions.get(streamId) ?? -1) + 1
      revisions.set(streamId, revision)
      touched.set(streamId, revision)
      ids.push(event.id)
      streams.push(streamId)
      revs.push(String(revision))
      types.push(event.type)
      datas.push(JSON.stringify(event.data))
      metas.push(JSON.stringify(event.metadata))
    }
    await db.query(
      `with s as (insert into streams (stream_id, revision) select s, r::bigint from unnest($7::text[], $8::text[]) as t(s, r)
                  on conflict (stream_id) do update set revision = excluded.revision)
       insert into events (event_id, stream_id, stream_revision, type, data, metadata)
       select id::uuid, stream_id, revision::bigint, type, data::jsonb, metadata::jsonb
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) with ordinality
           as t(id, stream_id, revision, type, data, metadata, n)
        order by n`,
      [ids, streams, revs, types, datas, metas, [...touched.keys()], [...touched.values()].map(String)],
    )
    loaded += chunk.length
    chunk = []
    if (onProgress && loaded - reported >= 50_000) {
      reported = loaded
      onProgress(loaded)
    }
  }
  for (const item of events) {
    chunk.push(item)
    if (chunk.length >= CHUNK) await flush()
  }
  await flush()
  return loaded
}
