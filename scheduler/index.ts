export { Scheduler, type JobContext, type JobHandler, type SchedulerOptions } from './scheduler';
export {
  cancelJob,
  jobsByKeyPrefix,
  scheduleJob,
  type JobSpec,
  type JobStatus,
  type ScheduledJob,
  type ScheduleOptions,
  type ScheduleOutcome,
} from './jobs';
export { DuplicateHandlerError, InvalidJobError, JobAbandonedError, JobLeaseLostError, UnknownJobKindError } from './errors';
