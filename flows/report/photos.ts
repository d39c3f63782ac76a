import type { Outcome, TurnContext } from '../flow';
import type { PhotoInput } from '../types';
import type { Draft } from './draft';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { msg } from './messages';

/** Photos one report may carry. */
export const MAX_PHOTOS = 10;

type O = Outcome<Draft, ReportEffect>;

/**
 * Photos at any step (one message may carry several: Kakao's secure-image plugin, a Slack share):
 * fetched by the adapter, each checked and kept by the domain (keepPhoto), then held in the draft
 * until the report is filed (or added at once to a report already filed as 즉시 위험). The
 * question the person was at is asked again whatever happened, with one line per photo.
 */
export function takePhotos(
  photos: PhotoInput[],
  running: { stepId: string; data: Draft } | undefined,
  _env: ReportFlowEnv,
  _ctx: TurnContext,
): O {
  if (!running) return { type: 'retry', reason: msg.photoIdle };
  const { stepId } = running;
  const received = (count: number, data: Draft) =>
    data.filedReportId ? msg.photoReceivedFiled(count) : msg.photoReceived(count);

  /** The photos from `i` on, one keep at a time; `kept` counts those added to the draft. */
  const from = (i: number, data: Draft, notes: string[], kept: number): O => {
    if (i >= photos.length) return finish(data, notes, kept);
    const photo = photos[i]!;
    const held = data.photoIds ?? [];
    if (!photo.ok) return from(i + 1, data, [...notes, msg.photoRefused[photo.problem]], kept);
    if (held.length >= MAX_PHOTOS) return from(i + 1, data, [...notes, msg.photoTooMany(MAX_PHOTOS)], kept);
    return need({ kind: 'keepPhoto', submissionId: data.submissionId, bytes: photo.bytes }, (k): O => {
      if (!k.ok) return from(i + 1, data, [...notes, msg.photoRefused[k.code]], kept);
      // kept before but not in this draft (a turn that lost a race) is attached now like a new one
      if (held.includes(k.id)) return from(i + 1, data, [...notes, msg.photoAgain], kept);
      const next = { ...data, photoIds: [...held, k.id] };
      return from(i + 1, next, [...notes, received(next.photoIds.length, next)], kept + 1);
    });
  };

  const finish = (data: Draft, notes: string[], kept: number): O => {
    if (kept === 0) return { type: 'retry', reason: notes.join('\n') };
    if (!data.filedReportId) return { type: 'go', to: stepId, data, notes };
    return need(
      { kind: 'attachPhotos', reportId: data.filedReportId, photoIds: data.photoIds ?? [] },
      (attached): O =>
        attached.ok ? { type: 'go', to: stepId, data, notes } : { type: 'retry', reason: msg.photoRefused.unreachable },
    );
  };

  return from(0, running.data, [], 0);
}
