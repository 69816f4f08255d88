// Training's shared pieces: the certificate status badge (green valid, amber expiring within 60 days, red expired or
// lapsed), and an assessment attempt's result (the server's score, and which questions were wrong, never the answers).
import { Badge, DateText } from '../../components/ui.tsx'
import { countOf } from '../../format.ts'

export function CertificateBadge({ validUntil, lapsed, today }: { validUntil: string; lapsed: boolean; today: string }) {
  const days = Math.round((Date.parse(validUntil) - Date.parse(today)) / 86_400_000)
  if (lapsed || days < 0) return <Badge tone="red">Expired</Badge>
  if (days <= 60) return <Badge tone="amber">Expires in {countOf(days, 'day')}</Badge>
  return <Badge tone="green">Valid</Badge>
}

export function ValidUntil({ iso }: { iso: string }) {
  return <span>until <DateText iso={iso} /></span>
}

export type AttemptView = {
  score: number
  correct: number
  questions: number
  passed: boolean
  passMark: number
  at: string
  attempts: number
  wrong: { number: number; text: string }[]
}

/** the last attempt: score and outcome, the questions to revisit, and what a retake takes */
export function AttemptResult({ attempt, retake }: { attempt: AttemptView; retake: React.ReactNode }) {
  const { passed } = attempt
  return (
    <section id="result" aria-labelledby="result-title" className={`card overflow-hidden border-l-4 ${passed ? 'border-l-green-600' : 'border-l-amber-500'}`}>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3 p-4 sm:p-5">
        <div>
          <h2 id="result-title" className="text-sm font-semibold text-gray-900">Your result</h2>
          <p className="mt-1 text-4xl font-semibold tabular-nums text-gray-900" aria-label={`Score ${attempt.score} %`}>{attempt.score} %</p>
        </div>
        <div className="min-w-0 flex-1 basis-56 space-y-1 text-sm text-gray-700">
          <p>{passed ? <Badge tone="green">Passed</Badge> : <Badge tone="amber">Not passed</Badge>}</p>
          <p>{`${attempt.correct} of ${countOf(attempt.questions, 'question')} right · pass mark ${attempt.passMark} %`}</p>
          <p className="text-xs text-gray-600">Scored by the portal on <DateText iso={attempt.at} /> · {`attempt ${attempt.attempts}`}</p>
        </div>
      </div>
      {attempt.wrong.length > 0 ? (
        <div className="border-t border-gray-100 bg-gray-50/70 p-4 sm:p-5">
          <h3 className="text-sm font-semibold text-gray-900">Questions to revisit</h3>
          <ol className="mt-2 space-y-1.5 text-sm text-gray-800">
            {attempt.wrong.map((q) => (
              <li key={q.number} className="flex gap-2"><span className="w-6 shrink-0 text-right font-medium tabular-nums text-gray-600">{q.number}.</span><span className="min-w-0">{q.text}</span></li>
            ))}
          </ol>
          <p className="mt-3 text-xs text-gray-600">The right answers are not shown, so the assessment stays a fair test for everyone.</p>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-3 border-t border-gray-100 p-4 sm:px-5">
        <p className="min-w-0 flex-1 basis-56 text-sm text-gray-700">
          {passed ? 'Retake it at any time to renew your certificate; a renewal never shortens one that is still valid.' : 'There is no limit on attempts: review the course, then retake the assessment.'}
        </p>
        {retake}
      </div>
    </section>
  )
}
