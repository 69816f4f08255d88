// The demo courses publish as the domain accepts them (5 to 8 questions each), and the demo answers score as asked.
import { describe, expect, test } from 'vitest'
import { cloudBackupAssociate, demoAnswers, demoScore, trainingDemoCourses } from '../../../app/seed/training-demo.server.ts'
import { CourseDecider, type CourseEvent } from '../../../domain/training/index.ts'
import { channelManager, command } from '../../domain/support/given.ts'

const courses = [cloudBackupAssociate, ...trainingDemoCourses]

describe('training demo', () => {
  test.each(courses.map((c) => [c.courseId, c] as const))('%s publishes with its assessment', (_id, course) => {
    const events = CourseDecider.decide(command('PublishCourse', course, { actor: channelManager }), CourseDecider.initialState()) as CourseEvent[]
    expect(events.map((e) => e.type)).toEqual(['CoursePublished', 'AssessmentPublished'])
    expect(course.questions!.length).toBeGreaterThanOrEqual(5)
    expect(course.questions!.length).toBeLessThanOrEqual(8)
  })

  test('answers with n right score n right, and pass only from the pass mark', () => {
    for (const course of courses) {
      const n = course.questions!.length
      expect(demoScore(course, n)).toMatchObject({ correct: n, score: 100, passed: true, wrongQuestionIds: [] })
      expect(demoScore(course, 0)).toMatchObject({ correct: 0, score: 0, passed: false })
      expect(demoScore(course, 2).wrongQuestionIds).toEqual(Array.from({ length: n - 2 }, (_, i) => `q${i + 3}`))
    }
    expect(demoAnswers(cloudBackupAssociate, 6).q2).toHaveLength(2)
    expect(demoScore(cloudBackupAssociate, 4)).toMatchObject({ score: 66, passed: false })
    expect(demoScore(cloudBackupAssociate, 5)).toMatchObject({ score: 83, passed: true })
  })
})
