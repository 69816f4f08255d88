// Diagnosis, not a workload: EXPLAIN ANALYZE of every statement inside partnerlog_append (auto_explain with nested
// statements, sent to this client) for one 100-event batch into a new stream and one single-event append to an
// existing stream, plus the JS cost of codec.encode. Usage: npx tsx bench/probes/explain-append.ts
import pg from 'pg'
import { APPEND_CALL, appendArguments, migrate } from '../../eventstore/postgres/schema.ts'
import { createPgDriver } from '../../eventstore/postgres/pg-driver.ts'
import { benchUrl, codec, freshSchema } from '../lib/db.ts'
import { batchStream, generateLog, partnerBlock, toNewEvent } from '../lib/events.ts'
import { now } from '../lib/util.ts'

const url = await freshSchema(benchUrl(), 'bench_probe')
const driver = await createPgDriver(url, { max: 2 })
await migrate(driver)
await generateLog(driver, 50_000)
await driver.exec('vacuum analyze events')

// JS side: codec.encode per event
const sample = Array.from({ length: 20 }, (_, i) => batchStream(i, 100)).flat().map(toNewEvent)
await codec.prepareAppend(sample) // the keys of the personal fields' subjects
for (const e of sample) codec.encode(e)
let t0 = now()
for (const e of sample) codec.encode(e)
const encodeUs = ((now() - t0) * 1000) / sample.length
t0 = now()
for (let i = 0; i < 20; i++) JSON.stringify(sample.slice(i * 100, i * 100 + 100))
const stringifyUs = ((now() - t0) * 1000) / sample.length
console.log(JSON.stringify({ codecEncodeMicrosPerEvent: Math.round(encodeUs * 10) / 10, jsonStringifyMicrosPerEvent: Math.round(stringifyUs * 10) / 10 }))

const client = new pg.Client({ connectionString: url })
await client.connect()
client.on('notice', (msg) => console.log(String(msg.message)))
await client.query(`load 'auto_explain'`)
await client.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set auto_explain.log_nested_statements = on;
  set auto_explain.log_timing = on; set auto_explain.log_buffers = on; set client_min_messages = log; set auto_explain.log_level = log`)
const batch = batchStream(999, 100)
console.log('==== 100-event batch into a new stream')
await client.query(`select status from ${APPEND_CALL}`, [batch[0]!.streamId, 'no_stream', ...appendArguments(batch.map(toNewEvent)), 'bench_probe'])
const block = partnerBlock(12345)
await client.query(`select status from ${APPEND_CALL}`, [block[2]!.streamId, 'no_stream', ...appendArguments([toNewEvent(block[2]!)]), 'bench_probe'])
console.log('==== 1 event appended to an existing stream (expected revision 0)')
await client.query(`select status from ${APPEND_CALL}`, [block[3]!.streamId, '0', ...appendArguments([toNewEvent(block[3]!)]), 'bench_probe'])
await client.end()
await driver.close()
