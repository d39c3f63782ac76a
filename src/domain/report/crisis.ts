/** The dong center's judgement of the household's crisis after a visit. */
export const CRISIS_LEVELS = ['high', 'medium', 'low', 'none'] as const;
export type CrisisLevel = (typeof CRISIS_LEVELS)[number];

export const CRISIS_LABELS: Record<CrisisLevel, string> = { high: '높음', medium: '중간', low: '낮음', none: '없음' };
/** The same level as a phrase, where it stands alone in a list cell. */
export const CRISIS_PHRASES: Record<CrisisLevel, string> = { high: '위기도 높음', medium: '위기도 중간', low: '위기도 낮음', none: '위기 없음' };
