import { z } from 'zod';
import { ageSchema } from '../../src/domain/report/age';
import { URGENCY_CODES, type Urgency } from '../../src/domain/report/urgency';

/** The report being filled in, as stored in the conversation between turns. null = "모름". */
export const draftSchema = z.object({
  /** Made when the flow starts; the stored report carries it, so a repeated "접수" files once. */
  submissionId: z.string().min(8),
  partnerId: z.string(),
  address: z.string().optional(),
  dong: z.object({ code: z.string(), name: z.string() }).nullable().optional(),
  dongBy: z.enum(['dong-name', 'legal-dong', 'geocoder', 'road-address', 'location', 'reporter']).optional(),
  dongCandidates: z.array(z.string()).optional(),
  dongReason: z.enum(['split-legal-dong', 'not-found', 'typo']).optional(),
  /** The dong name a mistyped address most likely means ("홍응동" → 홍은동), asked back as "혹시 홍은동인가요?". */
  dongHint: z.string().max(20).optional(),
  signs: z.array(z.string()).default([]),
  name: z.string().nullable().optional(),
  age: ageSchema.nullable().optional(),
  /** Said with the age ("70대 할머니"); absent when not said. */
  sex: z.enum(['female', 'male']).nullable().optional(),
  phone: z.string().nullable().optional(),
  situation: z.string().optional(),
  urgency: z.enum(URGENCY_CODES).optional(),
  /** A typed urgency ("급해요") while it is asked back. */
  pendingUrgency: z.enum(URGENCY_CODES).optional(),
  /** The reporter's own call-back contact, from their chat identity or asked now; filed with the report. */
  reporterContact: z.object({ name: z.string().max(30), phone: z.string().max(20) }).optional(),
  /** The reporter's name while their phone is being asked. */
  pendingReporterName: z.string().max(30).optional(),
  /** The receipt of the report filed at once for 즉시 위험: the later answers are added to it. */
  filedReceiptNo: z.string().max(20).optional(),
  /** Its id: the details are added by `_id`, without scanning the district's reports. */
  filedReportId: z.string().max(100).optional(),
  /** Photos sent during the conversation (kept in the photo store), attached to the report when it is filed. */
  photoIds: z.array(z.string().max(64)).max(20).optional(),
  /** Set while a field is being corrected from the summary: its step returns to the summary. */
  editing: z.boolean().optional(),
});
export type Draft = z.infer<typeof draftSchema>;

/** A draft with every required answer given: what the summary's "접수" files. */
export interface CompletedDraft extends Draft {
  address: string;
  dong: { code: string; name: string } | null;
  situation: string;
  urgency: Urgency;
}

export function isComplete(d: Draft): d is CompletedDraft {
  // no sign is a possible answer ("모름" at the signs question)
  return d.address !== undefined && d.dong !== undefined && d.situation !== undefined && d.urgency !== undefined;
}
