// zod helpers for form fields, which always arrive as strings (shared by forms and their actions).
import { z } from 'zod'

export const formText = (label: string, max = 200) =>
  z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `Use at most ${max} characters`)
export const formMoney = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .transform((value) => Number(value.replace(/[,\s]/g, '')))
    .pipe(z.number({ error: `Enter ${label} as a number, e.g. 25000` }).positive(`${label[0]!.toUpperCase()}${label.slice(1)} must be greater than 0`).max(1e12, 'That is too large'))
