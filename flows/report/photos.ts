import type { Outcome, TurnContext } from '../flow';
import type { PhotoInput } from '../types';
import type { Draft } from './draft';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { msg } from './messages';

/** Photos one report may carry. */
export const MAX_PHOTOS = 10;

type O = Outcome<Draft, ReportEffect>;

/**
 * A photo at any step: fetched by the adapter, checked and kept by the domain (keepPhoto), then
 * held in the draft until the report is filed (or added at once to a report already filed as
 * 즉시 위험). The question the person was at is asked again whatever happened to the photo.
 */
export function takePhoto(photo: PhotoInput, running: { stepId: string; data: Draft } | undefined, _env: ReportFlowEnv, _ctx: TurnContext): O {
  if (!running) return { type: 'retry', reason: msg.photoIdle };
  if (!photo.ok) return { type: 'retry', reason: msg.photoRefused[photo.problem] };
  const { stepId, data } = running;
  const held = data.photoIds ?? [];
  if (held.length >= MAX_PHOTOS) return { type: 'retry', reason: msg.photoTooMany(MAX_PHOTOS) };
  return need({ kind: 'keepPhoto', submissionId: data.submissionId, bytes: photo.bytes }, (kept): O => {
    if (!kept.ok) return { type: 'retry', reason: msg.photoRefused[kept.code] };
    // kept before but not in this draft (a turn that lost a race): attached now like a new one
    if (held.includes(kept.id)) return { type: 'retry', reason: msg.photoAgain };
    const photoIds = [...held, kept.id];
    const next = { ...data, photoIds };
    if (!data.filedReportId) return { type: 'go', to: stepId, data: next, notes: [msg.photoReceived(photoIds.length)] };
    const reportId = data.filedReportId;
    return need({ kind: 'attachPhotos', reportId, photoIds }, (attached): O =>
      attached.ok ? { type: 'go', to: stepId, data: next, notes: [msg.photoReceivedFiled(photoIds.length)] } : { type: 'retry', reason: msg.photoRefused.unreachable },
    );
  });
}
