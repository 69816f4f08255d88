// The vendor's change of a partner's allocation for a quarter: one schema for the browser and the action.
import { z } from 'zod'
import { ADJUST_REASON } from '../../../domain/allocations/decide.ts'
import { MAX, moneyOrZero, multiLine, ref } from '../../../domain/shared/fields.ts'
import { formMoney } from '../../forms.ts'

export const ChangeAllocationForm = z.object({
  commandId: ref(),
  amount: formMoney('the new allocation', moneyOrZero()),
  // the domain's own message when it is left empty: the reason is what the ledger shows
  reason: z.string({ error: ADJUST_REASON }).trim().min(1, ADJUST_REASON).pipe(multiLine(MAX.shortText, ADJUST_REASON)),
})
export type ChangeAllocationForm = z.infer<typeof ChangeAllocationForm>
