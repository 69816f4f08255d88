// Scheduler policies: the time-based commands due at a given time.
export * from './policies.ts'
