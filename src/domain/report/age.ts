import { z } from 'zod';

/** An age as reporters know it: an age, a decade ("70대") or a birth year. */
export const ageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('age'), value: z.number().int().min(0).max(120) }),
  z.object({ kind: z.literal('decade'), value: z.number().int().min(0).max(110) }),
  z.object({ kind: z.literal('birthYear'), value: z.number().int().min(1900).max(2100) }),
]);
export type Age = z.infer<typeof ageSchema>;

/** The person's sex as the reporter said it ("할머니", "남자분"). */
export type Sex = 'female' | 'male';
export const SEX_LABELS: Record<Sex, string> = { female: '여성', male: '남성' };

/** Age and sex in one phrase: "70대 여성", "여성", "75세"; '' when neither is known. */
export const formatAgeSex = (age: Age | null | undefined, sex: Sex | null | undefined): string =>
  [formatAge(age), sex ? SEX_LABELS[sex] : ''].filter(Boolean).join(' ');

/** The one way an age reads, everywhere (chat summary, console, lists). */
export function formatAge(age: Age | null | undefined): string {
  if (!age) return '';
  if (age.kind === 'age') return `${age.value}세`;
  if (age.kind === 'decade') return `${age.value}대`;
  return `${age.value}년생`;
}

/** The age's decade ("70대"), as it stood at `at`: what stays of an age once a case is anonymised. */
export function decadeOf(age: Age, at: Date): Age {
  if (age.kind === 'decade') return age;
  const years = age.kind === 'age' ? age.value : Math.max(0, at.getUTCFullYear() - age.value);
  return { kind: 'decade', value: Math.min(110, Math.floor(years / 10) * 10) };
}
