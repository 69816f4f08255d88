// The banner shown while a read model is behind the log (failed or stopped on an event: decision 010).

/** What each read model shows, in words people use; unknown names are shown as they are. */
const shows: Record<string, string> = {
  timeline: 'the audit timeline',
  workshops: 'workshops',
  deals: 'deals',
  funds: 'co-investment funds',
  journey: 'journey phases',
  trust: 'trust scores',
}

export function ReadModelsBehind({ names }: { names: readonly string[] }) {
  if (names.length === 0) return null
  const list = names.map((name) => (shows[name] ? `${name} (${shows[name]})` : name)).join(', ')
  return (
    <div role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <strong className="font-semibold">Some pages are behind the record.</strong>{' '}
      {names.length === 1 ? 'This read model has' : 'These read models have'} not taken in the latest changes: {list}. Nothing recorded is lost;
      the pages show the state before the change until the operators fix it (the auditor&apos;s Verify page names the cause).
    </div>
  )
}
