/**
 * Freezing a student's year into a record snapshot (DESIGN.md: "A record cannot be frozen
 * while required data is missing or unreconciled"). Pure: decides what blocks a freeze and
 * builds the snapshot from the engine's results and the identity data.
 */
import type { StudentYearResult } from '../assessment/student-year.ts';
import type { RecordProblem } from '../identity/student-record.ts';
import { isClean } from '../identity/student-record.ts';
import { SNAPSHOT_FORMAT_VERSION, snapshotResult, type RecordSnapshot, type SnapshotIdentity, type SubjectRow } from './snapshot.ts';

export interface FreezeBlocker {
  code: 'freeze.identity' | 'freeze.results_incomplete' | 'freeze.summer_pending' | 'freeze.problems';
  message: { vi: string; en: string };
}

/** Why a student's year cannot be frozen yet (empty: it can). */
export function freezeBlockers(identityProblems: readonly RecordProblem[], year: StudentYearResult): FreezeBlocker[] {
  const out: FreezeBlocker[] = [];
  if (!isClean(identityProblems)) {
    const fields = identityProblems.filter((p) => p.severity === 'blocking').map((p) => p.field);
    out.push({ code: 'freeze.identity', message: { vi: `Dữ liệu cá nhân còn lỗi chặn ký (${[...new Set(fields)].join(', ')}).`, en: `Identity data has blocking problems (${[...new Set(fields)].join(', ')}).` } });
  }
  if (year.missing.length) {
    // One mention per subject and semester, not per missing mark.
    const all = [...new Set(year.missing.map((m) => ('subject' in m ? `${m.subject} HK${m.semester}` : m.kind === 'conduct' ? `rèn luyện HK${m.semester}` : 'nghỉ học')))];
    const what = all.slice(0, 8).join(', ') + (all.length > 8 ? ` (+${all.length - 8})` : '');
    out.push({ code: 'freeze.results_incomplete', message: { vi: `Còn thiếu: ${what}.`, en: `Missing: ${what}.` } });
  }
  if (year.problems.length) out.push({ code: 'freeze.problems', message: { vi: 'Có dữ liệu điểm không hợp lệ.', en: 'Some marks are invalid.' } });
  if (year.promotion.status === 'complete' && year.promotion.outcome.kind.startsWith('pending_')) {
    out.push({ code: 'freeze.summer_pending', message: { vi: 'Đang chờ kiểm tra lại / rèn luyện hè.', en: 'Summer re-assessment or training is pending.' } });
  }
  return out;
}

export interface SnapshotInput {
  school: RecordSnapshot['school'];
  schoolYear: string;
  identity: SnapshotIdentity;
  subjects: Array<{ code: string; name: string; teacherName: string; comment: string | null }>;
  year: StudentYearResult;
  homeroom: { teacherName: string; comment: string | null };
  /** Absent sessions of the year from the register, excused and not. */
  absences: { excused: number; unexcused: number };
  frozenAt: string;
}

/** The snapshot of a year that has no freeze blocker (throws otherwise). */
export function buildSnapshot(input: SnapshotInput): RecordSnapshot {
  const { year } = input;
  if (year.learning.I.status !== 'complete' || year.learning.II.status !== 'complete' || year.learning.year.status !== 'complete') throw new Error('learning results incomplete');
  if (year.conduct.I.status !== 'complete' || year.conduct.II.status !== 'complete' || year.conduct.year.status !== 'complete') throw new Error('conduct incomplete');
  if (year.promotion.status !== 'complete' || year.award.status !== 'complete' || year.absentSessions === null) throw new Error('year incomplete');
  const meta = new Map(input.subjects.map((s) => [s.code, s]));
  const subjects: SubjectRow[] = year.subjects.map((r) => {
    const m = meta.get(r.code);
    return {
      code: r.code,
      name: m?.name ?? r.code,
      form: r.form,
      teacherName: m?.teacherName ?? '',
      semesterI: snapshotResult(r.semesters.I),
      semesterII: snapshotResult(r.semesters.II),
      year: snapshotResult(r.year),
      reassessment: r.reassessment ? snapshotResult(r.reassessment) : null,
      comment: m?.comment ?? null,
    };
  });
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    school: input.school,
    schoolYear: input.schoolYear,
    identity: input.identity,
    year: {
      subjects,
      conduct: { semesterI: year.conduct.I.level, semesterII: year.conduct.II.level, year: year.conduct.year.level, afterSummer: year.conduct.afterTraining },
      learning: {
        semesterI: year.learning.I.level,
        semesterII: year.learning.II.level,
        year: year.learning.year.level,
        afterSummer: year.learning.yearAfterReassessment?.status === 'complete' ? year.learning.yearAfterReassessment.level : null,
      },
      absences: input.absences,
      promotion: year.promotion.outcome.kind,
      award: year.award.award,
      homeroom: input.homeroom,
    },
    frozenAt: input.frozenAt,
  };
}
