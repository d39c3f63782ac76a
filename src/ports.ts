import type { ConversationStore } from '../flows/state-store';
import type { AccessRecordRepository, AccessReviewRepository } from './domain/access/repository';
import type { AlertTargetRepository } from './domain/alert-target/repository';
import type {
  ConsoleUserRepository,
  LoginAttemptRepository,
  PasswordResetRepository,
  SessionRepository,
} from './domain/auth/repositories';
import type { BackupRunRepository } from './domain/backup/repository';
import type { ReceiptCounter } from './domain/counter/repository';
import type { DistrictListsRepository } from './domain/district-lists';
import type { DongCenterRepository } from './domain/dong-center/repository';
import type { ChatIdentityRepository } from './domain/identity/repository';
import type { DeliveryClaimRepository } from './domain/inbound-claim/repository';
import type { JobRunRepository } from './domain/job-run/repository';
import type { ImportFileRepository, ListImportRepository } from './domain/list-import/repository';
import type { PartnerRepository } from './domain/partner/repository';
import type { PhotoRepository } from './domain/photo/photo';
import type { ReportStore } from './domain/report/repository';
import type { ReporterNewsRepository } from './domain/reporter-news/repository';
import type { CreatesItsIndexes } from './domain/stored';
import type { OnCallRepository } from './domain/urgent/repository';
import type { WeeklyDeliveryRepository } from './domain/weekly/repository';

/**
 * Every repository by the name the rest of the service uses, each typed by the interface its
 * caller's side declares (the domain's, or the flow engine's for conversations). The store
 * implements them (src/repositories.ts builds them over one connection); nothing here knows
 * mongoose.
 */
export interface RepositoryPorts {
  partners: PartnerRepository;
  identities: ChatIdentityRepository;
  /** The domain's ReportRepository plus the upkeep the jobs use (archive sweep, alerts, retention). */
  reports: ReportStore;
  counter: ReceiptCounter;
  conversations: ConversationStore;
  consoleUsers: ConsoleUserRepository;
  sessions: SessionRepository;
  loginAttempts: LoginAttemptRepository;
  deliveries: DeliveryClaimRepository;
  dongCenters: DongCenterRepository;
  weeklyDeliveries: WeeklyDeliveryRepository;
  imports: ListImportRepository;
  importFiles: ImportFileRepository;
  passwordResets: PasswordResetRepository;
  alertTargets: AlertTargetRepository;
  reporterNews: ReporterNewsRepository;
  accessRecords: AccessRecordRepository;
  accessReviews: AccessReviewRepository;
  districtLists: DistrictListsRepository;
  backupRuns: BackupRunRepository;
  jobRuns: JobRunRepository;
  photos: PhotoRepository;
  onCall: OnCallRepository;
}

type EachCreatesItsIndexes<T> = { [K in keyof T]: T[K] & CreatesItsIndexes };

/** The repositories as the composition root hands them out: each also creates its indexes at start-up. */
export interface Repositories extends EachCreatesItsIndexes<RepositoryPorts> {}
