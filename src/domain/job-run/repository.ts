/**
 * Jobs' runs claimed by one instance: a daily job's pass per day, an hourly one's per hour
 * (`period`, the key the caller names). src/store/job-run implements it.
 */
export interface JobRunRepository {
  /** Takes the period's run of `job` for `owner`; false when another instance claimed it first. */
  claim(job: string, period: string, owner: string, at: Date): Promise<boolean>;
  latest(job: string): Promise<Date | null>;
  /** Drops the job's claims made before `before` (an hourly job's, once they can no longer be taken again). */
  forgetBefore(job: string, before: Date): Promise<number>;
}
