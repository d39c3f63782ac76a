import { z } from 'zod';
import { URGENCY_CODES } from '../report/urgency';

export const MAPPED_FIELDS = ['name', 'birth', 'age', 'address', 'phone', 'signs', 'situation', 'urgency'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

const column = z.string().trim().min(1).max(200).nullable().default(null);

/**
 * How a list's columns become a report: a column (by its header text, which stays the same from
 * one month's export to the next) per report field, the columns kept as extra fields, and what
 * the whole list says when a row does not (its signs, its urgency).
 */
export const mappingSchema = z.object({
  columns: z.object(Object.fromEntries(MAPPED_FIELDS.map((f) => [f, column])) as Record<MappedField, typeof column>),
  extra: z.array(z.string().trim().min(1).max(200)).max(30).default([]),
  defaultSigns: z
    .array(z.string().regex(/^[a-z_]+$/))
    .min(1)
    .max(10),
  defaultUrgency: z.enum(URGENCY_CODES).default('prompt'),
});
export type Mapping = z.infer<typeof mappingSchema>;
