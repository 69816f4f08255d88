// Training aggregate (stream course-<id>).
export * from './course.ts'
export * from './decide.ts'
export * from './assessment.ts'
