/**
 * What a signed HBS XML says about its record: the summary the verification report shows
 * (student, school, year, subjects and results), the canonical digest of the frozen XML and
 * its verification code — the key both the local lookup and a school's status list use.
 */
import { createHash } from 'node:crypto';
import { parseHbsV1, serializeHbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { verificationCode } from '../../domain/record/verification-code.ts';
import type { RecordSnapshot, SubjectResult } from '../../domain/record/snapshot.ts';
import type { RecordSummaryView } from '../../server/api-types.ts';

export interface ReadRecord {
  snapshot: RecordSnapshot;
  summary: RecordSummaryView;
  /** sha256 (hex) of the canonical unsigned XML: record_versions.digest. */
  digest: string;
  code: string;
}

const result = (r: SubjectResult): string => (r.kind === 'exempt' ? 'exempt' : r.kind === 'score' ? r.average : r.result);

/** The summary of a snapshot (codes as the signed XML writes them; the UI words them). */
export function recordSummary(s: RecordSnapshot): RecordSummaryView {
  return {
    studentName: s.identity.fullName,
    birthDate: s.identity.birthDate ?? null,
    studentCode: s.identity.studentCode ?? null,
    className: s.identity.className,
    grade: s.identity.grade,
    school: { ...s.school },
    schoolYear: s.schoolYear,
    subjects: s.year.subjects.map((r) => ({ code: r.code, name: r.name, semesterI: result(r.semesterI), semesterII: result(r.semesterII), wholeYear: result(r.reassessment ?? r.year) })),
    conduct: s.year.conduct.year,
    learning: s.year.learning.year,
    promotion: s.year.promotion,
    frozenAt: s.frozenAt,
  };
}

/**
 * Reads a (signed) HBS v1 document: null when it is not one (the signatures are judged
 * separately; this only says what the record claims). The digest is recomputed from the
 * canonical form, so it matches record_versions.digest whatever signatures were added.
 */
export function readRecord(xml: string): ReadRecord | null {
  let snapshot: RecordSnapshot;
  try {
    snapshot = parseHbsV1(xml);
  } catch {
    return null;
  }
  const digest = createHash('sha256').update(serializeHbsV1(snapshot), 'utf8').digest('hex');
  return { snapshot, summary: recordSummary(snapshot), digest, code: verificationCode(digest) };
}
