// Demo courses with real assessments (selling and deploying backup, endpoint and network products), and attempts with
// real answers: the course scores them, so a seeded certification is earned the way a partner earns one.
import type { Actor, Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import type { CommandResult } from '../commands/handler.server.ts'
import { CourseDecider, scoreAnswers, streamId as courseStream, type CourseCommand, type Question, type QuestionInput } from '../../domain/training/index.ts'
import type { PublishCourseInput } from '../commands/enablement.server.ts'

/** how a seed runs a command (the seeds' `run`): decide on the stream, append, return the result */
export type SeedRun = <C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>, stream: string, type: C['type'], data: C['data'], actor: Actor,
) => Promise<CommandResult<E>>

const one = (text: string, right: string, ...wrong: string[]): QuestionInput =>
  ({ text, kind: 'single', choices: [right, ...wrong].map((c, i) => ({ text: c, correct: i === 0 })).sort(byText) })
const many = (text: string, right: string[], wrong: string[]): QuestionInput =>
  ({ text, kind: 'multiple', choices: [...right.map((c) => ({ text: c, correct: true })), ...wrong.map((c) => ({ text: c, correct: false }))].sort(byText) })
// the right choice is not always the first one shown
const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text)

/** the minimal seed's course: Northwind's certification comes from passing it */
export const cloudBackupAssociate: PublishCourseInput = {
  courseId: 'cloud-backup-associate', title: 'Cloud Backup Associate',
  description: 'Sell and deploy Acme Cloud Backup for mid-market customers.',
  certification: { name: 'Cloud Backup Associate', validityMonths: 24 }, passMark: 70,
  questions: [
    one('A customer asks how much data they can afford to lose in an outage. Which figure answers that?', 'Recovery point objective (RPO)', 'Recovery time objective (RTO)', 'Mean time between failures (MTBF)', 'Service level agreement uptime'),
    many('Which measures keep backups safe from ransomware that has stolen an administrator\'s password?', ['Immutable (object-lock) backup storage', 'Multi-factor sign-in on the backup console'], ['A second copy on a NAS share mapped on the file server', 'Running full backups every night']),
    one('What does the 3-2-1 rule ask for?', 'Three copies of the data, on two kinds of media, one of them off site', 'Three backups a day, kept for two weeks, one restore test a month', 'Three administrators, two of them needed to delete a backup, one auditor'),
    one('Which proof point wins most first meetings with a mid-market prospect?', 'A timed restore test of one of their own servers', 'The number of data centres we run', 'A discount on the first year'),
    one('After a deployment, when should the first restore test run?', 'In the first week, then on a schedule the customer signs off', 'Only when the customer needs a restore', 'At the first contract renewal'),
    many('What should a backup proposal put in writing?', ['The retention period for each class of data', 'The recovery time objective for each critical system', 'Who runs the restore tests, and how often'], ['The customer\'s administrator password']),
  ],
}

/** three more courses for the demo program, one per product line */
export const trainingDemoCourses: PublishCourseInput[] = [
  {
    courseId: 'endpoint-protection-specialist', title: 'Endpoint Protection Specialist',
    description: 'Qualify, deploy and tune Acme Endpoint Protection on Windows and macOS fleets of 50 to 5,000 devices.',
    certification: { name: 'Endpoint Protection Specialist', validityMonths: 12 }, passMark: 75,
    questions: [
      one('A prospect already runs a free antivirus. What does endpoint detection and response (EDR) add that matters most to them?', 'It records what happened on the device, so an attack can be traced and stopped across the fleet', 'It scans files faster', 'It replaces the firewall'),
      one('What is the safest way to roll Endpoint Protection out to 2,000 devices?', 'A pilot group in audit mode first, then rings of devices in enforce mode', 'Every device in enforce mode on the same night', 'Only the servers, since laptops are rarely attacked'),
      many('Which signals should make a partner recommend the managed detection service?', ['No security staff on call at night or at weekends', 'The customer was hit by ransomware in the last two years'], ['The customer has fewer than 10 Macs', 'The customer prefers an annual invoice']),
      one('A tuned policy blocks a line-of-business application. What should the partner do first?', 'Add a narrow exclusion for the signed application and record why', 'Switch the whole policy to audit mode', 'Uninstall the agent on the affected devices'),
      many('Which belong in a monthly endpoint health report for the customer?', ['Devices that have not checked in for 7 days', 'Threats blocked, by severity', 'Devices missing the latest agent version'], ['The number of emails each user sent']),
      one('Which licence count should a quote use?', 'Every device that holds company data, including servers and virtual desktops', 'Only the laptops', 'The number of employees divided by two'),
      one('How does an isolated device keep talking to the console?', 'Isolation blocks all traffic except the agent\'s connection to the console', 'It does not: isolation cuts every connection', 'Through the user\'s phone hotspot'),
    ],
  },
  {
    courseId: 'network-security-sales', title: 'Network Security Sales Foundations',
    description: 'Find the network security opportunity in a customer\'s estate and turn it into an Edge Firewall proposal.',
    certification: { name: 'Network Security Seller', validityMonths: 24 }, passMark: 70,
    questions: [
      one('Which question best opens a network security conversation with an IT manager?', 'Which of your sites could keep working if the head office link went down?', 'How many firewalls do you have?', 'Would you like a demo?'),
      many('Which are good triggers for an Edge Firewall refresh?', ['The current firewalls reach end of support this year', 'The customer is opening new branch offices', 'An auditor asked for network segmentation'], ['The customer just renewed its firewall support for three years']),
      one('What should decide the firewall model you quote for a site?', 'Throughput with threat inspection switched on, at the site\'s busiest hour', 'The raw throughput on the datasheet', 'The cheapest model that has enough ports'),
      one('When should a deal be registered with the vendor?', 'As soon as the opportunity is qualified, before the first quote goes out', 'After the customer signs', 'Only when another partner is competing'),
      many('Which belong in a network security proposal?', ['A site-by-site bill of materials', 'The migration plan and its maintenance windows', 'Who monitors the firewalls after go-live'], ['The customer\'s current firewall passwords']),
    ],
  },
  {
    courseId: 'branch-firewall-deployment', title: 'Branch Firewall Deployment',
    description: 'Deploy Edge Firewall in branch offices with zero-touch provisioning, SD-WAN and segmentation, and hand it over cleanly.',
    certification: { name: 'Edge Firewall Deployment Engineer', validityMonths: 24 }, passMark: 80,
    questions: [
      one('What does zero-touch provisioning need before the box is shipped to the branch?', 'The device serial number claimed in the console and a template assigned to it', 'An engineer on site with a console cable', 'A static public IP address at the branch'),
      one('Which traffic should SD-WAN steer to the best link first?', 'Voice and video calls', 'Operating system updates', 'Nightly backups'),
      many('Which segments should a typical branch have?', ['Staff devices', 'Guest Wi-Fi', 'Payment terminals and other regulated devices'], ['One flat network for everything, to keep it simple']),
      one('A branch loses its primary internet link. What should happen?', 'Traffic fails over to the backup link within seconds, and the console raises an alert', 'The branch goes offline until the link is back', 'An engineer is sent to switch the cables over'),
      many('Which checks belong in a go-live checklist?', ['Failover tested by pulling the primary link', 'Firmware at the recommended version', 'Logs arriving in the customer\'s monitoring'], ['Default admin password kept for the hand-over']),
      one('Where should firewall configuration changes be made after go-live?', 'In the central console, through templates, so every branch stays consistent', 'On each device\'s local web page', 'By the branch manager'),
      one('What does the hand-over pack give the customer?', 'The design, the as-built configuration, the test results and who to call', 'Only the invoice', 'The engineer\'s personal mobile number'),
      one('What is the first thing to check when a branch reports a slow application?', 'The SD-WAN dashboard: which link the application uses and its loss and latency', 'Whether the firewall needs a reboot', 'The branch\'s printer settings'),
    ],
  },
]

/** the questions as the course keeps them (ids by position), to build answers from */
const questionsOf = (course: PublishCourseInput): Question[] =>
  (course.questions ?? []).map((q, i) => ({ questionId: `q${i + 1}`, text: q.text, kind: q.kind, choices: q.choices.map((c, j) => ({ choiceId: `q${i + 1}c${j + 1}`, text: c.text, correct: c.correct })) }))

/** answers to a course's assessment (version 1) with the first `right` questions right and the rest wrong */
export function demoAnswers(course: PublishCourseInput, right: number): Record<string, string[]> {
  return Object.fromEntries(questionsOf(course).map((q, i) => {
    const choices = i < right ? q.choices.filter((c) => c.correct) : [q.choices.find((c) => !c.correct)!]
    return [q.questionId, choices.map((c) => c.choiceId)]
  }))
}

/** what the course would record for such an attempt (score, passed, wrong questions), for seeds that write events directly */
export const demoScore = (course: PublishCourseInput, right: number) => scoreAnswers(questionsOf(course), course.passMark ?? 70, demoAnswers(course, right))

/** publishes the courses with their assessments (version 1); returns the last command's result */
export async function publishTrainingDemo(run: SeedRun, vendor: Actor, courses: PublishCourseInput[] = trainingDemoCourses) {
  let last
  for (const course of courses) last = await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(course.courseId), 'PublishCourse', course, vendor)
  return last
}

/** a learner (already enrolled) answers the course's assessment with `right` questions right; the course scores and certifies */
export function submitDemoAnswers(run: SeedRun, course: PublishCourseInput, learner: Actor, right: number) {
  const ids = { courseId: course.courseId, partnerId: learner.organisationId, userId: learner.userId }
  return run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(course.courseId), 'SubmitAssessment', { ...ids, assessmentVersion: 1, answers: demoAnswers(course, right) }, learner)
}

/** enrols the learner, then submitDemoAnswers (a retake after a fail is another call) */
export async function takeDemoAssessment(run: SeedRun, course: PublishCourseInput, learner: Actor, right: number) {
  const ids = { courseId: course.courseId, partnerId: learner.organisationId, userId: learner.userId }
  await run<CourseCommand, DomainEvent, unknown>(CourseDecider as never, courseStream(course.courseId), 'EnrolInCourse', ids, learner)
  return submitDemoAnswers(run, course, learner, right)
}
