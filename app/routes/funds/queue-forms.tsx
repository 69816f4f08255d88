// The funds queue's forms, one per decision and row: approve or reject a request, approve or reject a claim, pay,
// and the bulk forms for the ticked claims and payments. Each shows only the errors of its own last post.
import { getFormProps } from '@conform-to/react'
import { Form, useActionData } from 'react-router'
import { ReturnHere } from '../../components/pager.tsx'
import { replyFor, RowField, RowFormError, RowFormHead, withClass } from '../../components/row-field.tsx'
import { conformInput } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { FormError } from '../../components/ui.tsx'
import { ApproveClaimForm, ApproveForm, BulkApproveForm, BulkPayForm, RejectClaimForm, RejectOrDeclineForm } from './decisions.ts'

type Row = { coInvestmentId: string; activity: string }

/** the row's hidden fields: which request, and the list to come back to */
function RowHead({ row, intent, anchor, commandId }: { row: Row; intent: string; anchor: string; commandId?: string }) {
  return (
    <>
      <RowFormHead intent={intent} commandId={commandId} />
      <ReturnHere anchor={anchor} />
      <input type="hidden" name="coInvestmentId" value={row.coInvestmentId} />
    </>
  )
}

/** approve a request (in full or in part) or reject it for changes */
export function RequestDecision({ row, defaultAmount, defaultDeadline, today, commandId }: { row: Row; defaultAmount: number; defaultDeadline: string; today: string; commandId: string }) {
  const actionData = useActionData()
  const id = row.coInvestmentId
  const [approve, a] = useSchemaForm({
    id: `approve-${id}`, schema: ApproveForm, lastResult: replyFor(actionData, { intent: 'approve', coInvestmentId: id }),
    defaultValue: { approvedAmount: String(defaultAmount), maxReimbursementPct: '50', claimDeadline: defaultDeadline },
  })
  const [reject, r] = useSchemaForm({ id: `reject-${id}`, schema: RejectOrDeclineForm, lastResult: replyFor(actionData, { intent: 'reject', coInvestmentId: id }) })
  return (
    <>
      <Form method="post" {...getFormProps(approve)} className="flex flex-wrap items-start gap-2">
        <RowHead row={row} intent="approve" anchor="requests-title" commandId={`${commandId}-${id}`} />
        <RowField label="Amount" meta={a.approvedAmount}><input {...withClass(conformInput(a.approvedAmount), 'w-28')} inputMode="decimal" /></RowField>
        <RowField label="Max %" meta={a.maxReimbursementPct}><input {...withClass(conformInput(a.maxReimbursementPct), 'w-16')} inputMode="decimal" /></RowField>
        <RowField label="Claim by" meta={a.claimDeadline}><input {...withClass(conformInput(a.claimDeadline, 'date'), 'w-36')} min={today} /></RowField>
        <button type="submit" className="btn-success mt-4" aria-label={`Approve ${row.activity}`}>Approve</button>
        <RowFormError form={approve} />
      </Form>
      <Form method="post" {...getFormProps(reject)} className="mt-2 flex flex-wrap items-start gap-2">
        <RowHead row={row} intent="reject" anchor="requests-title" />
        <RowField label={`Reason for rejecting ${row.activity}`} meta={r.reason} srOnlyLabel>
          <input {...withClass(conformInput(r.reason), 'w-64')} placeholder="Reason to reject" />
        </RowField>
        <button type="submit" className="btn-danger" aria-label={`Reject ${row.activity}`}>Reject</button>
        <RowFormError form={reject} />
      </Form>
    </>
  )
}

/** approve a claim (the amount to reimburse) or reject it */
export function ClaimDecision({ row, claimable }: { row: Row; claimable: number | null }) {
  const actionData = useActionData()
  const id = row.coInvestmentId
  const [approve, a] = useSchemaForm({
    id: `approve-claim-${id}`, schema: ApproveClaimForm, lastResult: replyFor(actionData, { intent: 'approve-claim', coInvestmentId: id }),
    defaultValue: { amount: claimable === null ? '' : String(claimable) },
  })
  const [reject, r] = useSchemaForm({ id: `reject-claim-${id}`, schema: RejectClaimForm, lastResult: replyFor(actionData, { intent: 'reject-claim', coInvestmentId: id }) })
  return (
    <>
      <Form method="post" {...getFormProps(approve)} className="flex flex-wrap items-start gap-2">
        <RowHead row={row} intent="approve-claim" anchor="claims-title" />
        <RowField label={`Amount to reimburse for ${row.activity}`} meta={a.amount} srOnlyLabel>
          <input {...withClass(conformInput(a.amount), 'w-28')} inputMode="decimal" />
        </RowField>
        <button type="submit" className="btn-success" aria-label={`Approve claim for ${row.activity}`}>Approve</button>
        <RowFormError form={approve} />
      </Form>
      <Form method="post" {...getFormProps(reject)} className="mt-2 flex flex-wrap items-start gap-2">
        <RowHead row={row} intent="reject-claim" anchor="claims-title" />
        <RowField label={`Reason for rejecting the claim for ${row.activity}`} meta={r.reason} srOnlyLabel>
          <input {...withClass(conformInput(r.reason), 'w-48')} placeholder="Reason to reject" />
        </RowField>
        <button type="submit" className="btn-danger" aria-label={`Reject claim for ${row.activity}`}>Reject</button>
        <RowFormError form={reject} />
      </Form>
    </>
  )
}

/** mark one approved claim paid */
export function PayDecision({ row }: { row: Row }) {
  return (
    <Form method="post">
      <RowFormHead intent="pay" />
      <ReturnHere anchor="payments-title" />
      <input type="hidden" name="coInvestmentId" value={row.coInvestmentId} />
      <button type="submit" className="btn-success" aria-label={`Mark paid: ${row.activity}`}>Mark paid</button>
    </Form>
  )
}

/**
 * The form the ticked rows belong to (each checkbox names it with `form=`), empty itself: it shows why nothing was done
 * (none ticked) above the table.
 */
export function BulkForm({ id, intent, anchor }: { id: string; intent: 'approve-claims' | 'pay-selected'; anchor: string }) {
  const [form, fields] = useSchemaForm({ id, schema: intent === 'approve-claims' ? BulkApproveForm : BulkPayForm, lastResult: resultFor(useActionData(), intent) })
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormHead form={form} />
      <ReturnHere anchor={anchor} />
      <FormError message={fields.selected.errors?.[0]} />
    </Form>
  )
}
