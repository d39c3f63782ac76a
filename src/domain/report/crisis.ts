/** The dong center's judgement of the household's crisis after a visit. */
export const CRISIS_LEVELS = ['high', 'medium', 'low', 'none'] as const;
export type CrisisLevel = (typeof CRISIS_LEVELS)[number];

export const CRISIS_LABELS: Record<CrisisLevel, string> = { high: '높음', medium: '중간', low: '낮음', none: '없음' };
/** The same level as a phrase, where it stands alone in a list cell. */
export const CRISIS_PHRASES: Record<CrisisLevel, string> = {
  high: '위기도 높음',
  medium: '위기도 중간',
  low: '위기도 낮음',
  none: '위기 없음',
};

/** What a visit report may answer for the crisis level: a level, or 모름 when the visit did not show it. */
export const VISIT_CRISIS_ANSWERS = [...CRISIS_LEVELS, 'unknown'] as const;
export type VisitCrisisAnswer = (typeof VISIT_CRISIS_ANSWERS)[number];
export const VISIT_CRISIS_LABELS: Record<VisitCrisisAnswer, string> = { ...CRISIS_LABELS, unknown: '모름' };
