// The assessment's questions as a Conform field list of questions, each with a field list of choices (added and removed
// with or without JavaScript), the zod schema both the browser and the action check them with, and the way back.
import { useField, useFormMetadata, type FieldName } from '@conform-to/react'
import { z } from 'zod'
import { ConformField, conformInput, conformSelect, conformTextarea } from '../../components/form-field.tsx'
import { list } from '../../../domain/shared/fields.ts'
import { MAX_CHOICES, MAX_QUESTIONS, MIN_CHOICES, QuestionInput, type Question } from '../../../domain/training/assessment.ts'
import { formText } from '../../forms.ts'

const choiceText = QuestionInput.shape.choices.element.shape.text
const ChoiceForm = z.object({ text: formText('the choice', choiceText), correct: z.literal('on').optional() })

/** one question as typed: the domain's limits, and its answer key checked as the domain checks it */
const QuestionForm = z.object({
  text: formText('the question', QuestionInput.shape.text),
  kind: z.enum(['single', 'multiple'], { error: 'Choose how many choices are right' }),
  choices: z.preprocess((v) => v ?? [], list(ChoiceForm, MAX_CHOICES).min(MIN_CHOICES, `Give at least ${MIN_CHOICES} choices`)),
}).superRefine((q, ctx) => {
  const right = q.choices.filter((c) => c.correct).length
  if (right === 0) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Mark the right choice' })
  else if (q.kind === 'single' && right > 1) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'A single-choice question has one right choice; make it multiple choice or mark one' })
}).transform((q) => ({ text: q.text, kind: q.kind, choices: q.choices.map((c) => ({ text: c.text, correct: c.correct === 'on' })) }))

/** the questions field of a course or assessment form */
export const QuestionsField = z.preprocess((v) => v ?? [], list(QuestionForm, MAX_QUESTIONS).min(1, 'Add at least one question'))

type ChoiceRow = { text?: string; correct?: 'on' }
type QuestionRow = { text?: string; kind?: string; choices?: ChoiceRow[] }

/** a new question: single choice, three empty choices */
export const NEW_QUESTION: QuestionRow = { kind: 'single', choices: [{}, {}, {}] }

/** the form's rows for a published version (the vendor revises from what partners answer now) */
export const rowsOf = (questions: readonly Question[]): QuestionRow[] =>
  questions.map((q) => ({ text: q.text, kind: q.kind, choices: q.choices.map((c) => ({ text: c.text, ...(c.correct ? { correct: 'on' as const } : {}) })) }))

function ChoiceRows({ name, question }: { name: FieldName<ChoiceRow[]>; question: number }) {
  const form = useFormMetadata()
  const [choices] = useField(name)
  const rows = choices.getFieldList()
  return (
    <fieldset className="space-y-2" aria-describedby={choices.errors ? choices.errorId : undefined}>
      <legend className="label">Choices <span className="font-normal text-gray-600">· tick the right {rows.length > 1 ? 'ones' : 'one'}</span></legend>
      {rows.map((row, index) => {
        const cells = row.getFieldset()
        const n = index + 1
        return (
          <div key={row.key} className="flex items-start gap-2">
            <label className="flex h-9 shrink-0 items-center gap-1.5 text-xs text-gray-700">
              {/* ticking checks the list again at once: its error ("mark the right choice") goes as it is fixed */}
              <input type="checkbox" name={cells.correct.name} defaultChecked={cells.correct.initialValue === 'on'} onChange={() => form.validate({ name })} className="h-4 w-4 rounded border-gray-300" />
              <span className="sr-only">Question {question}, choice {n} is right</span>
              <span aria-hidden="true">Right</span>
            </label>
            <div className="min-w-0 flex-1">
              <ConformField label={`Question ${question}, choice ${n}`} meta={cells.text} srOnlyLabel>
                <input {...conformInput(cells.text)} placeholder={`Choice ${n}`} />
              </ConformField>
            </div>
            <button className="btn-secondary shrink-0 px-2.5" {...form.remove.getButtonProps({ name, index })}>
              <span aria-hidden="true">✕</span><span className="sr-only">Remove choice {n} of question {question}</span>
            </button>
          </div>
        )
      })}
      {choices.errors ? <p id={choices.errorId} className="text-sm text-red-700">{choices.errors[0]}</p> : null}
      {rows.length < MAX_CHOICES ? (
        <button className="btn-secondary text-xs" {...form.insert.getButtonProps({ name, defaultValue: {} })}>Add choice<span className="sr-only"> to question {question}</span></button>
      ) : null}
    </fieldset>
  )
}

/** the questions: one card per question, each with its choices */
export function QuestionsEditor({ name = 'questions', legend = 'Assessment' }: { name?: FieldName<QuestionRow[]>; legend?: string }) {
  const form = useFormMetadata()
  const [questions] = useField(name)
  const rows = questions.getFieldList()
  return (
    <fieldset className="space-y-4" aria-describedby={questions.errors ? questions.errorId : questions.descriptionId}>
      <legend className="float-left w-full"><h2 className="text-base font-semibold text-gray-900">{legend}</h2></legend>
      <p id={questions.descriptionId} className="clear-left text-sm text-gray-600">
        Partners answer every question; a question counts only when exactly its right choices are ticked. The score is the share of questions right.
      </p>
      {rows.map((row, index) => {
        const q = row.getFieldset()
        const n = index + 1
        return (
          <div key={row.key} className="rounded-lg border border-gray-200 bg-gray-50/60 p-4">
            <div className="flex items-center justify-between gap-2">
              <h3 className="text-sm font-semibold text-gray-900">Question {n}</h3>
              <button className="btn-secondary text-xs" {...form.remove.getButtonProps({ name, index })}>Remove<span className="sr-only"> question {n}</span></button>
            </div>
            <div className="mt-3 space-y-3">
              <ConformField label={`Question ${n}`} meta={q.text} srOnlyLabel>
                <textarea {...conformTextarea(q.text)} rows={3} placeholder="What does the partner need to know?" />
              </ConformField>
              <ConformField label={`Question ${n}: right choices`} meta={q.kind} srOnlyLabel>
                <select {...conformSelect(q.kind)}>
                  <option value="single">Single choice: one right answer</option>
                  <option value="multiple">Multiple choice: one or more right answers</option>
                </select>
              </ConformField>
              <ChoiceRows name={q.choices.name} question={n} />
            </div>
          </div>
        )
      })}
      {questions.errors ? <p id={questions.errorId} className="text-sm text-red-700">{questions.errors[0]}</p> : null}
      {rows.length < MAX_QUESTIONS ? (
        <button className="btn-secondary" {...form.insert.getButtonProps({ name, defaultValue: NEW_QUESTION })}>Add question</button>
      ) : null}
    </fieldset>
  )
}
