import { Form, useLoaderData } from 'react-router'
import type { Route } from './+types/export'
import { requireUser } from '../../auth.server.ts'
import { PageHeader } from '../../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Export · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(request, context.services, 'audit:read')
  return { partners: await context.services.queries.organisations.partners(), keyId: context.services.signingKey.keyId }
}

export default function Export() {
  const { partners, keyId } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-2xl">
      <PageHeader title="Export" description="Download a partner's whole history, every event with its payload and metadata." />
      <Form method="get" action="/audit/export/download" reloadDocument className="card space-y-4 p-6">
        <div>
          <label htmlFor="partner" className="label">Partner</label>
          <select id="partner" name="partner" className="input mt-1" required>
            {partners.map((p) => <option key={p.organisationId} value={p.organisationId}>{p.name}</option>)}
          </select>
        </div>
        <fieldset>
          <legend className="label">Format</legend>
          <div className="mt-2 flex gap-6 text-sm">
            <label className="flex items-center gap-2"><input type="radio" name="format" value="jsonl" defaultChecked /> JSON Lines</label>
            <label className="flex items-center gap-2"><input type="radio" name="format" value="csv" /> CSV</label>
            <label className="flex items-center gap-2"><input type="radio" name="format" value="signed" /> Signed JSON Lines</label>
          </div>
        </fieldset>
        <button type="submit" className="btn-primary">Download</button>
      </Form>
      <section className="card mt-6 space-y-2 p-6 text-sm" aria-labelledby="signed-heading">
        <h2 id="signed-heading" className="font-semibold">Checking a signed export</h2>
        <p>
          A signed export carries the deployment's Ed25519 signature (key <code>{keyId}</code>). Check it with only the public key:{' '}
          <code>npm run verify-export -- &lt;file&gt; --public-key partnerlog-public-key-{keyId}.pem</code>; it names any line that was altered, reordered, added or removed.
        </p>
        <p><a href="/audit/public-key.pem" className="btn-secondary" download>Download the public key</a></p>
      </section>
    </div>
  )
}
