import type { Route } from './+types/status'

export const meta: Route.MetaFunction = () => [{ title: 'Status · Partnerlog' }]

// A public page rendered by React Router without touching the database: uptime checks, and the reference route
// the HTTP load benchmark compares the real pages with.
export function loader() {
  return { ok: true }
}

export default function Status() {
  return (
    <main className="mx-auto max-w-md p-8">
      <div className="card p-6">
        <h1 className="text-lg font-semibold">Partnerlog is running</h1>
        <p className="mt-1 text-sm text-gray-600">This page answers without reading any data.</p>
      </div>
    </main>
  )
}
