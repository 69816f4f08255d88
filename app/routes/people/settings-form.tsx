// The program settings form's parts: a number as a row or a table cell, the groups drawn as cards, and the tiers as a
// Conform field list (rows added and removed with or without JavaScript). Fields are read with useField by name.
import { useField, useFormMetadata } from '@conform-to/react'
import { conformInput } from '../../components/form-field.tsx'
import type { ProgramSettings } from '../../../domain/settings/defaults.ts'
import { shown, unitText, type NumberField } from './settings-fields.ts'

const numberClass = (error: boolean) => `input text-right tabular-nums disabled:bg-gray-50 disabled:text-gray-700 ${error ? 'input-error' : ''}`

/** one setting as a row: label and hint (or the error) on the left, the number and its unit on the right */
export function SettingRow({ field, currency, label = field.label }: { field: NumberField; currency: string; label?: string }) {
  const [meta] = useField<string>(field.name)
  const error = meta.errors?.[0]
  const unit = unitText(field, currency)
  const { className: _c, ...input } = conformInput(meta)
  return (
    <div className="flex items-start justify-between gap-3 py-2.5">
      <div className="min-w-0 pt-1.5">
        <label htmlFor={meta.id} className="block text-sm text-gray-900">{label}{unit ? <span className="sr-only"> ({unit})</span> : null}</label>
        {error
          ? <p id={meta.errorId} className="mt-0.5 text-xs font-medium text-red-700">{error}</p>
          : field.hint ? <p id={meta.descriptionId} className="mt-0.5 text-xs text-gray-600">{field.hint}</p> : null}
      </div>
      <div className="flex shrink-0 items-center gap-2">
        <input {...input} aria-describedby={error ? meta.errorId : field.hint ? meta.descriptionId : undefined} inputMode="decimal" className={`w-24 ${numberClass(Boolean(error))}`} />
        <span aria-hidden="true" className="w-20 whitespace-nowrap text-xs text-gray-600">{unit}</span>
      </div>
    </div>
  )
}

/** a number in a table cell, labelled for screen readers */
export function CellInput({ name, label, className = '' }: { name: string; label: string; className?: string }) {
  const [meta] = useField<string>(name)
  const error = meta.errors?.[0]
  const { className: _c, ...input } = conformInput(meta)
  return (
    <div className={className}>
      <label htmlFor={meta.id} className="sr-only">{label}</label>
      <input {...input} inputMode="decimal" className={numberClass(Boolean(error))} />
      {error ? <p id={meta.errorId} className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  )
}

/** a group of settings: a fieldset drawn as a card, its legend the card's title */
export function Group({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <fieldset id={id} className="card scroll-mt-4 p-5">
      <legend className="float-left w-full"><h2 className="text-base font-semibold text-gray-900">{title}</h2></legend>
      <p className="clear-left pt-1 text-sm text-gray-600">{description}</p>
      <div className="mt-3">{children}</div>
    </fieldset>
  )
}

/** a titled part of a group; `errorOf` names a field whose error concerns the whole part (the five Cs' weights) */
export function SubGroup({ title, note, errorOf, children }: { title: string; note?: string; errorOf?: string; children: React.ReactNode }) {
  const [meta] = useField(errorOf ?? '')
  const error = errorOf ? meta.errors?.[0] : undefined
  return (
    <div className="mt-4 first:mt-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-gray-600">{title}{note ? <span className="font-normal normal-case tracking-normal"> · {note}</span> : null}</h3>
      {error ? <p id={meta.errorId} className="mt-1 text-xs font-medium text-red-700">{error}</p> : null}
      <div className="divide-y divide-gray-100">{children}</div>
    </div>
  )
}

type TierRow = { name: string; rank: string; minimumCertifications: string; minimumWonDeals: string; allocation: string }

/** the tiers: one row per tier (a Conform field list); managers add and remove rows */
export function TiersTable({ start, canManage }: { start: ProgramSettings; canManage: boolean }) {
  const form = useFormMetadata()
  const [tiers] = useField<TierRow[]>('tiers')
  // a refusal of the allocations as a whole (the domain names fundAllocationByTier) shows with the tiers
  const [allocations] = useField('fundAllocationByTier')
  const rows = tiers.getFieldList()
  const error = tiers.errors?.[0] ?? allocations.errors?.[0]
  return (
    <fieldset id="tiers" className="card scroll-mt-4 overflow-hidden">
      <legend className="float-left w-full px-5 pt-5"><h2 className="text-base font-semibold text-gray-900">Tiers</h2></legend>
      <div className="clear-left px-5">
        <p className="pt-1 text-sm text-gray-600">What a partner needs for each tier, and its quarterly fund allocation. Rank 0 is the entry tier.</p>
        {error ? <p className="mt-2 text-sm text-red-700" id={tiers.errorId}>{error}</p> : null}
      </div>
      <div className="mt-3 overflow-x-auto">
        <table className="table-base">
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="th">Tier name</th><th scope="col" className="th num">Rank</th>
              <th scope="col" className="th num">Min. certifications</th><th scope="col" className="th num">Min. won deals</th>
              <th scope="col" className="th num">Funds per quarter ({start.fundCurrency})</th>
              {canManage ? <th scope="col" className="th"><span className="sr-only">Remove</span></th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {rows.map((row, index) => {
              const n = index + 1
              const cells = row.getFieldset()
              const name = cells.name
              const { className: _c, ...nameInput } = conformInput(name)
              return (
                <tr key={row.key}>
                  <td className="td">
                    <label htmlFor={name.id} className="sr-only">Tier {n} name</label>
                    <input {...nameInput} placeholder={name.initialValue ? undefined : 'New tier'} className={`input min-w-28 disabled:bg-gray-50 ${name.errors ? 'input-error' : ''}`} />
                    {name.errors ? <p id={name.errorId} className="mt-1 text-xs text-red-700">{name.errors[0]}</p> : null}
                  </td>
                  <td className="td"><CellInput className="ml-auto w-20" name={cells.rank.name} label={`Tier ${n} rank`} /></td>
                  <td className="td"><CellInput className="ml-auto w-24" name={cells.minimumCertifications.name} label={`Tier ${n} minimum certifications`} /></td>
                  <td className="td"><CellInput className="ml-auto w-24" name={cells.minimumWonDeals.name} label={`Tier ${n} minimum won deals`} /></td>
                  <td className="td"><CellInput className="ml-auto w-32" name={cells.allocation.name} label={`Tier ${n} funds per quarter`} /></td>
                  {canManage ? (
                    <td className="td">
                      <button className="btn-secondary" {...form.remove.getButtonProps({ name: tiers.name, index })}>Remove<span className="sr-only"> tier {n}</span></button>
                    </td>
                  ) : null}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <div className="px-5 py-3">
          <button className="btn-secondary" {...form.insert.getButtonProps({ name: tiers.name, defaultValue: { minimumCertifications: '0', minimumWonDeals: '0', allocation: '0' } })}>Add tier</button>
        </div>
      ) : null}
    </fieldset>
  )
}
