/**
 * "Việc của tôi": one person's queue across the platform — marks to enter and sheets to
 * submit (subject teacher), data problems, unreconciled students, classes to freeze and
 * returned records (homeroom teacher), records to sign at each step (the signing service's
 * own "to sign" counts), change requests to decide (principal), cross-checks to review
 * (department head), delegations about to expire, and a missing or too-short certificate —
 * each with a count, its due date from the plan and a link, most urgent first.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, crossChecks, enrolments, signingCertificates, staff } from '../../db/schema.ts';
import { addDays, deadlineInstant, rowFor, stageStatus, vnDay, type StageStatus } from '../../domain/plan/plan-rules.ts';
import type { PlanRow, PlanStage } from '../../domain/plan/plan-template.ts';
import { hasPermission, type ActorScope } from '../../domain/policies/permissions.ts';
import type { SigningStep } from '../../domain/record/signing-order.ts';
import { listDelegations } from '../delegations/delegations.ts';
import { listChangeRequests } from '../grades/change-requests.ts';
import { myClassSubjects } from '../grades/my-class-subjects.ts';
import { latestVersions } from '../records/record-states.ts';
import { myToSign } from '../signing/record-signing.ts';
import { dataQualityBoard } from '../students/data-quality.ts';
import { currentSchoolYear, ensurePlan } from './plan-store.ts';

export type WorkKind =
  | 'marks_enter'
  | 'sheet_submit'
  | 'data_fix'
  | 'reconcile'
  | 'freeze'
  | 'returned'
  | 'sign'
  | 'change_request'
  | 'crosscheck'
  | 'delegation_expiring'
  | 'certificate';

export interface WorkItem {
  kind: WorkKind;
  stage: PlanStage | null;
  /** What to do, in Vietnamese and English. */
  label: { vi: string; en: string };
  count: number;
  dueOn: string | null;
  status: StageStatus;
  link: string;
}

export interface MyWork {
  today: string;
  items: WorkItem[];
  counts: { overdue: number; dueSoon: number; total: number };
}

const STATUS_RANK: Record<StageStatus, number> = { overdue: 0, due_soon: 1, open: 2, upcoming: 3, done: 4 };
const SIGN_STAGE: Record<SigningStep, PlanStage> = { subject: 'sign_subject', homeroom: 'sign_homeroom', principal: 'sign_principal', seal: 'seal' };
const STEP_LABEL: Record<SigningStep, { vi: string; en: string }> = {
  subject: { vi: 'Ký học bạ (GVBM)', en: 'Sign records (subject teacher)' },
  homeroom: { vi: 'Ký học bạ (GVCN)', en: 'Sign records (homeroom teacher)' },
  principal: { vi: 'Duyệt, ký học bạ', en: 'Approve and sign records' },
  seal: { vi: 'Đóng dấu học bạ', en: 'Seal records' },
};
/** A delegation ending within this many days is on the queue. */
const DELEGATION_WARNING_DAYS = 14;

/** Most urgent first: overdue (oldest deadline first), due soon, open, upcoming; undated last in their group. */
export function sortWork(items: WorkItem[]): WorkItem[] {
  return [...items].sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || b.count - a.count);
}

/** The person's queue on `now` in the active school. */
export async function myWork(opts: { db: Db; actor: ActorScope; schoolId: string; now: Date; soonDays?: number }): Promise<MyWork> {
  const { db, actor, schoolId, now } = opts;
  const today = vnDay(now);
  const soon = opts.soonDays ?? 3;
  const items: WorkItem[] = [];
  const base = await inSchool(db, schoolId, async (tx) => {
    const year = await currentSchoolYear(tx);
    return year ? { year, plan: await ensurePlan(tx, year, now) } : null;
  });
  if (!base) return { today, items: [], counts: { overdue: 0, dueSoon: 0, total: 0 } };
  const { plan } = base;
  const push = (kind: WorkKind, stage: PlanStage | null, grade: number | null, label: WorkItem['label'], count: number, link: string, dueOverride?: string) => {
    if (count <= 0) return;
    const row: PlanRow | null = stage ? rowFor(plan, stage, grade) : null;
    const dueOn = dueOverride ?? row?.dueOn ?? null;
    const status: StageStatus = dueOn ? stageStatus(now, { startsOn: row?.startsOn ?? dueOn, dueOn }, false, soon) : 'open';
    items.push({ kind, stage, label, count, dueOn, status, link });
  };

  if (actor.roles.has('subject_teacher') && actor.classSubjectIds.size) {
    const s1 = rowFor(plan, 'marks_s1', null);
    for (const cs of await myClassSubjects({ db, actor, schoolId })) {
      for (const sh of cs.sheets) {
        if (sh.status === 'submitted') continue;
        // Semester II work joins the queue once semester I's marks are due.
        if (sh.semester === 2 && s1 && today <= s1.dueOn) continue;
        const stage: PlanStage = sh.semester === 1 ? 'marks_s1' : 'marks_s2';
        const what = `${cs.subjectName} – ${cs.className}, HK${sh.semester === 1 ? 'I' : 'II'}`;
        const link = `/grade-sheets/${cs.id}/${sh.semester}`;
        if (!sh.complete) push('marks_enter', stage, cs.grade, { vi: `Nhập điểm ${what}`, en: `Enter marks: ${what}` }, Math.max(1, sh.required - sh.entered), link);
        else push('sheet_submit', stage, cs.grade, { vi: `Nộp bảng điểm ${what}`, en: `Submit the sheet: ${what}` }, 1, link);
      }
    }
  }

  if (actor.roles.has('homeroom_teacher')) {
    for (const classId of actor.homeroomClassIds) {
      const q = await dataQualityBoard({ db, actor, schoolId, classId });
      const c = q.classes[0];
      if (!c) continue;
      const grade = await inSchool(db, schoolId, async (tx) => (await tx.select({ grade: classes.grade }).from(classes).where(eq(classes.id, classId)))[0]?.grade ?? null);
      push('data_fix', 'data_cleaning', grade, { vi: `Sửa dữ liệu học sinh lớp ${c.className}`, en: `Fix student data of ${c.className}` }, c.students - c.clean, '/data-quality');
      push('reconcile', 'data_cleaning', grade, { vi: `Đối chiếu với CSDL ngành / VNeID lớp ${c.className}`, en: `Reconcile ${c.className} with the sector database / VNeID` }, c.students - c.reconciled, `/classes/${classId}/reconciliation`);
      const rec = await inSchool(db, schoolId, async (tx) => {
        const kids = await tx.select({ id: enrolments.studentId }).from(enrolments).where(and(eq(enrolments.classId, classId), eq(enrolments.status, 'active')));
        const latest = await latestVersions(tx, base.year.id, kids.map((k) => k.id));
        return { students: kids.length, frozen: [...latest.values()].filter((v) => v.state !== 'returned').length, returned: [...latest.values()].filter((v) => v.state === 'returned').length };
      });
      const marks2 = rowFor(plan, 'marks_s2', grade);
      if (!marks2 || today > marks2.dueOn) push('freeze', 'freeze', grade, { vi: `Chốt học bạ lớp ${c.className}`, en: `Freeze the records of ${c.className}` }, rec.students - rec.frozen, `/homeroom/${classId}`);
      push('returned', 'freeze', grade, { vi: `Học bạ bị trả lại lớp ${c.className}: sửa và chốt lại`, en: `Returned records of ${c.className}: correct and freeze again` }, rec.returned, `/homeroom/${classId}`);
    }
  }

  if (hasPermission(actor.roles, 'records.sign')) {
    for (const r of await myToSign({ db, actor, schoolId, now })) {
      push('sign', SIGN_STAGE[r.step], r.grade, { vi: `${STEP_LABEL[r.step].vi} lớp ${r.className}`, en: `${STEP_LABEL[r.step].en}: ${r.className}` }, r.ready, '/signing');
    }
  }

  if (hasPermission(actor.roles, 'changes.decide')) {
    const pending = await listChangeRequests({ db, actor, schoolId, status: 'pending' });
    push('change_request', null, null, { vi: 'Duyệt yêu cầu sửa điểm', en: 'Decide change requests' }, pending.length, '/change-requests', pending.length ? today : undefined);
  }

  if (actor.roles.has('department_head')) {
    const n = await inSchool(db, schoolId, async (tx) =>
      (await tx.select({ id: crossChecks.id }).from(crossChecks).innerJoin(staff, eq(staff.id, crossChecks.reviewerStaffId)).where(and(eq(staff.userId, actor.userId), eq(crossChecks.status, 'assigned')))).length,
    );
    push('crosscheck', 'marks_s2', null, { vi: 'Kiểm tra chéo bảng điểm', en: 'Cross-check grade sheets' }, n, '/cross-checks');
  }

  if (hasPermission(actor.roles, 'delegations.read')) {
    for (const d of await listDelegations({ db, actor, schoolId })) {
      if (d.revokedAt || d.validTo < today || d.validTo > addDays(today, DELEGATION_WARNING_DAYS)) continue;
      push('delegation_expiring', null, null, { vi: `Ủy quyền ${d.decisionNumber} (${d.delegateName ?? ''}) hết hạn ${d.validTo}`, en: `Delegation ${d.decisionNumber} (${d.delegateName ?? ''}) ends ${d.validTo}` }, 1, '/delegations', d.validTo);
    }
  }

  // A signer needs a certificate valid through their last signing deadline.
  const duties: PlanStage[] = [];
  if (actor.classSubjectIds.size) duties.push('sign_subject');
  if (actor.homeroomClassIds.size) duties.push('sign_homeroom');
  if (actor.roles.has('principal')) duties.push('sign_principal');
  if (duties.length) {
    const last = duties.map((s) => rowFor(plan, s, null)!.dueOn).sort().at(-1)!;
    const cert = await inSchool(db, schoolId, async (tx) => (await tx.select({ notAfter: signingCertificates.notAfter }).from(signingCertificates).where(and(eq(signingCertificates.userId, actor.userId), eq(signingCertificates.status, 'active'))))[0] ?? null);
    if (!cert) push('certificate', 'sign_subject', null, { vi: 'Đăng ký chứng thư số để ký học bạ', en: 'Register a signing certificate' }, 1, '/account', rowFor(plan, duties[0]!, null)!.startsOn);
    else if (cert.notAfter < deadlineInstant(last)) push('certificate', 'sign_subject', null, { vi: `Gia hạn chứng thư số (hết hạn ${vnDay(cert.notAfter)}, trước hạn ký ${last})`, en: `Renew the certificate (expires ${vnDay(cert.notAfter)}, before the signing deadline ${last})` }, 1, '/account', rowFor(plan, duties[0]!, null)!.startsOn);
  }

  const sorted = sortWork(items);
  return { today, items: sorted, counts: { overdue: sorted.filter((i) => i.status === 'overdue').length, dueSoon: sorted.filter((i) => i.status === 'due_soon').length, total: sorted.length } };
}

