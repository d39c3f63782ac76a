/** Daily jobs' runs, one a day per job, claimed by one instance; src/store/job-run implements it. */
export interface JobRunRepository {
  /** Takes the day's run of `job` for `owner`; false when another instance claimed it first. */
  claim(job: string, day: string, owner: string, at: Date): Promise<boolean>;
  latest(job: string): Promise<Date | null>;
}
