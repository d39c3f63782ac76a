import { randomUUID } from 'node:crypto';
import type { Report } from '../../src/domain/report/report';
import type { ReportStore } from '../../src/store/report/report';

let seq = 0;

/** A stored report as intake would file it, with the fields a test cares about overridden. */
export function reportDoc(overrides: Partial<Omit<Report, 'id'>> & { receivedAt: Date }): Omit<Report, 'id'> {
  seq++;
  const dongCode = overrides.assignedDongCode === undefined ? '1141064000' : overrides.assignedDongCode;
  return {
    district: 'seodaemun',
    receiptNo: `2026-${String(900000 + seq).padStart(6, '0')}`,
    submissionId: randomUUID(),
    partner: { id: 'p-kepco', name: '한국전력 서대문지사', kind: 'utility' },
    reporter: { channel: 'kakao', userId: `u${seq}` },
    address: { text: `서대문구 통일로 ${seq}길 ${seq}`, dongCode, dongName: null, resolvedBy: 'dong-name' },
    signs: ['utility_arrears'],
    person: { name: `대상자${seq}`, age: { kind: 'decade', value: 70 }, phone: '010-1234-5678' },
    situation: '두 달째 전기요금이 밀렸습니다.',
    urgency: 'normal',
    status: dongCode ? 'assigned' : 'received',
    assignedDongCode: dongCode,
    consultation: null,
    visit: null,
    history: [{ at: overrides.receivedAt, by: 'partner:p', action: 'received', to: 'received' }],
    ...overrides,
  };
}

export async function insertReports(reports: ReportStore, docs: Omit<Report, 'id'>[]): Promise<Report[]> {
  const out: Report[] = [];
  for (const d of docs) out.push(await reports.insert(d));
  return out;
}

/** An instant given in Seoul wall time, "2026-11-22 23:30". */
export const kst = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+09:00`);
