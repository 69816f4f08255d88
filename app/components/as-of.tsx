// The auditor's "as of": the form in the top bar (a date and a clock) and the banner every page shows while it is on.
import { Form } from 'react-router'
import { asOfClockLabels, DEFAULT_AS_OF_CLOCK, type AsOf, type AsOfClock } from '../as-of.ts'
import { CsrfInput } from './shell.tsx'
import { formatDate } from '../format.ts'

const clockOptions: { value: AsOfClock; label: string }[] = [
  { value: 'recorded', label: 'as the vendor knew it' },
  { value: 'occurred', label: 'as it happened' },
]

export function AsOfForm({ asOf, today }: { asOf: AsOf | null; today: string }) {
  return (
    <Form method="post" action="/audit/as-of" className="order-last flex w-full items-center gap-1.5 lg:order-none lg:w-auto" aria-label="View the program as of a date">
      <CsrfInput />
      <label htmlFor="as-of-date" className="hidden text-sm whitespace-nowrap text-gray-700 sm:inline">As of</label>
      <input id="as-of-date" name="date" type="date" max={today} defaultValue={asOf?.date ?? ''} aria-label="As of" className="input min-w-0 flex-1 sm:w-36 sm:flex-none" />
      <label htmlFor="as-of-clock" className="sr-only">Clock</label>
      <select id="as-of-clock" name="clock" defaultValue={asOf?.clock ?? DEFAULT_AS_OF_CLOCK} className="input min-w-0 flex-1 sm:w-auto sm:flex-none" title="Which time of an event decides whether it counts by that date">
        {clockOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <button type="submit" className="btn-secondary">Apply</button>
    </Form>
  )
}

export function AsOfBanner({ asOf }: { asOf: AsOf }) {
  const day = formatDate(asOf.date)
  const other: AsOfClock = asOf.clock === 'recorded' ? 'occurred' : 'recorded'
  return (
    <div role="status" className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-md bg-blue-50 px-4 py-2 text-sm text-blue-900 ring-1 ring-blue-600/30">
      <span>
        <strong>As of {day}, {asOfClockLabels[asOf.clock]}</strong> (end of day, UTC): pages show the program{' '}
        {asOf.clock === 'recorded'
          ? 'from the events recorded by then, whenever they happened.'
          : 'from the events that happened by then, including those recorded later (backdated), in the order they were recorded.'}
      </span>
      <span className="flex gap-2">
        <Form method="post" action="/audit/as-of">
          <CsrfInput />
          <input type="hidden" name="date" value={asOf.date} />
          <input type="hidden" name="clock" value={other} />
          <button type="submit" className="btn-secondary">Show {clockOptions.find((o) => o.value === other)!.label}</button>
        </Form>
        <Form method="post" action="/audit/as-of">
          <CsrfInput />
          <input type="hidden" name="date" value="" />
          <button type="submit" className="btn-secondary">Back to now</button>
        </Form>
      </span>
    </div>
  )
}
