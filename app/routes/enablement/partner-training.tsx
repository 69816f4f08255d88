import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/partner-training'
import { requireUser } from '../../auth.server.ts'
import { Badge, DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { countOf } from '../../format.ts'
import { enablementQueries } from './common.server.ts'
import { CertificateBadge } from './training-ui.tsx'
import { isoDay } from '../../format.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Training · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'training:take')
  const queries = enablementQueries(services)
  const [courses, training, users] = await Promise.all([queries.courses(), queries.trainingOf(user.organisationId), services.queries.users.ofOrganisation(user.organisationId)])
  const names = Object.fromEntries(users.map((u) => [u.userId, u.name]))
  const me = training?.learners[user.userId]
  const titles = Object.fromEntries(courses.map((c) => [c.courseId, c.title]))
  const certificates = Object.values(training?.learners ?? {})
    .filter((l) => user.role === 'partner_admin' || l.userId === user.userId)
    .flatMap((l) => Object.values(l.certificates).map((c) => ({ ...c, userId: l.userId, holder: names[l.userId] ?? l.userId, course: titles[c.courseId] ?? c.courseId })))
    .sort((a, b) => a.validUntil.localeCompare(b.validUntil))
  return {
    today: isoDay(services.clock()),
    isAdmin: user.role === 'partner_admin',
    courses: courses.map((c) => ({ courseId: c.courseId, title: c.title, description: c.description, certification: c.certification, questions: c.assessment?.questions ?? null, mine: me?.courses[c.courseId] ?? null, certificate: me?.certificates[c.courseId] ?? null })),
    certificates,
  }
}

export default function Training() {
  const { courses, certificates, today, isAdmin } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-8">
      <PageHeader title="Training" description="Courses from the vendor; passing a certifying course earns a certificate that unlocks material and counts for your tier." />
      <section aria-labelledby="certs">
        <h2 id="certs" className="text-base font-semibold text-gray-900">{isAdmin ? 'Certificates in your organisation' : 'Your certificates'}</h2>
        {certificates.length === 0 ? (
          <p className="mt-2 rounded-md bg-white px-4 py-6 text-center text-sm text-gray-600 ring-1 ring-gray-200">No certificates yet. Pass a certifying course below to earn one.</p>
        ) : (
          <div className="card mt-3 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50"><tr><th scope="col" className="th">Certification</th>{isAdmin ? <th scope="col" className="th">Holder</th> : null}<th scope="col" className="th">Earned</th><th scope="col" className="th">Valid until</th><th scope="col" className="th">Status</th></tr></thead>
              <tbody className="divide-y divide-gray-100">
                {certificates.map((c) => (
                  <tr key={`${c.userId}-${c.courseId}`}>
                    <td className="td"><Link to={`/partner/training/${c.courseId}`}>{c.certification}</Link>{c.renewals ? <span className="ml-2"><Badge tone="blue">Renewed</Badge></span> : null}</td>
                    {isAdmin ? <td className="td">{c.holder}</td> : null}
                    <td className="td"><DateText iso={c.earnedOn} /></td>
                    <td className="td"><DateText iso={c.validUntil} /></td>
                    <td className="td"><CertificateBadge validUntil={c.validUntil} lapsed={c.lapsed} today={today} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="catalogue">
        <h2 id="catalogue" className="text-base font-semibold text-gray-900">Catalogue</h2>
        {courses.length === 0 ? <div className="mt-3"><EmptyState title="No courses yet" description="Courses the vendor publishes appear here." /></div> : (
          <ul className="mt-3 grid gap-3 md:grid-cols-2 xl:grid-cols-3">
            {courses.map((c) => (
              <li key={c.courseId} className="card flex flex-col p-4">
                <div className="flex items-start gap-3">
                  <div className="flex h-10 w-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-brand-700">
                    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round"><path d="m2 9 10-5 10 5-10 5z" /><path d="M6 11v5c3 2 9 2 12 0v-5M22 9v6" /></svg>
                  </div>
                  <div className="min-w-0">
                    <h3 className="text-sm font-semibold"><Link to={`/partner/training/${c.courseId}`} className="text-gray-900 no-underline hover:underline">{c.title}</Link></h3>
                    <p className="mt-1 text-sm text-gray-700">{c.description}</p>
                  </div>
                </div>
                <div className="mt-auto flex flex-wrap items-center gap-2 pt-3 text-xs text-gray-600">
                  {c.certification ? <span>Certifies: {c.certification.name} · {c.certification.validityMonths} months</span> : <span>No certification</span>}
                  <span>{c.questions === null ? 'Assessment not yet available' : `Assessment: ${countOf(c.questions, 'question')}`}</span>
                  <span className="ml-auto">
                    {c.certificate ? <CertificateBadge validUntil={c.certificate.validUntil} lapsed={c.certificate.lapsed} today={today} />
                      : c.mine?.status === 'Enrolled' ? <Badge tone="amber">Enrolled</Badge>
                      : c.mine?.status === 'Passed' ? <Badge tone="green">Passed</Badge>
                      : c.mine?.status === 'Failed' ? <Badge tone="red">Not passed</Badge>
                      : <Badge tone="gray">Not started</Badge>}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
