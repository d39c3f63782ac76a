import type { Connection } from 'mongoose';
import type { CreatesItsIndexes } from './domain/stored';
import type { Repositories } from './ports';
import { receiptCounter } from './store/counter/receipt-counter';
import { conversationStore } from './store/conversation/conversation';
import { deliveryClaimRepository } from './store/inbound-claim/delivery-claim';
import { dongCenterRepository } from './store/dong-center/dong-center';
import { chatIdentityRepository } from './store/identity/chat-identity';
import { partnerRepository } from './store/partner/partner';
import { reportRepository } from './store/report/report';
import { consoleUserRepository } from './store/console-user/console-user';
import { loginAttemptRepository } from './store/login-attempt/login-attempt';
import { sessionRepository } from './store/session/session';
import { weeklyDeliveryRepository } from './store/weekly-delivery/weekly-delivery';
import { importFileRepository } from './store/import/import-file';
import { listImportRepository } from './store/import/list-import';
import { passwordResetRepository } from './store/password-reset/password-reset';
import { alertTargetRepository } from './store/alert-target/alert-target';
import { reporterNewsRepository } from './store/reporter-news/reporter-news';
import { accessRecordRepository } from './store/access-record/access-record';
import { accessReviewRepository } from './store/access-review/access-review';
import { districtListsRepository } from './store/district-lists/district-lists';
import { backupRunRepository } from './store/backup/backup-runs';
import { jobRunRepository } from './store/job-run/job-runs';
import { photoRepository } from './store/photo/photo';
import { onCallRepository } from './store/on-call/on-call';

/**
 * The repository registry: the store's implementation of every port in src/ports.ts, over one
 * connection. It imports the store and nothing of the flows or deliveries.
 */
export function openRepositories(conn: Connection, opts: { hotDays?: number; now?: () => Date } = {}): Repositories {
  return {
    partners: partnerRepository(conn),
    identities: chatIdentityRepository(conn),
    reports: reportRepository(conn, { hotDays: opts.hotDays, now: opts.now }),
    counter: receiptCounter(conn),
    conversations: conversationStore(conn),
    consoleUsers: consoleUserRepository(conn),
    sessions: sessionRepository(conn),
    loginAttempts: loginAttemptRepository(conn),
    deliveries: deliveryClaimRepository(conn),
    dongCenters: dongCenterRepository(conn),
    weeklyDeliveries: weeklyDeliveryRepository(conn),
    imports: listImportRepository(conn),
    importFiles: importFileRepository(conn),
    passwordResets: passwordResetRepository(conn),
    alertTargets: alertTargetRepository(conn),
    reporterNews: reporterNewsRepository(conn),
    accessRecords: accessRecordRepository(conn),
    accessReviews: accessReviewRepository(conn),
    districtLists: districtListsRepository(conn),
    backupRuns: backupRunRepository(conn),
    jobRuns: jobRunRepository(conn),
    photos: photoRepository(conn),
    onCall: onCallRepository(conn),
  };
}

/**
 * Creates every collection's indexes, each repository its own (autoIndex is off so start-up order
 * is explicit); a new repository is one line in `openRepositories` (and its port in src/ports.ts) and nothing here.
 */
export async function ensureIndexes(repos: Repositories): Promise<void> {
  for (const repo of Object.values(repos) as CreatesItsIndexes[]) await repo.ensureIndexes();
}
