/**
 * Staffing of the demo school: which classes exist, which subjects each takes (with its
 * topic clusters), how many teachers each teaching group needs, who teaches what, and
 * who is homeroom teacher of which class. Pure and deterministic (no randomness here).
 */
import { THPT_SUBJECTS, type CatalogueSubject } from '../../domain/assessment/catalogue.ts';
import {
  CLASS_COMBINATION_PATTERN,
  DEMO_COMBINATIONS,
  DEMO_DEPARTMENTS,
  HOMEROOM_SUBJECT,
  SUBJECT_SHORT_NAMES,
  type DemoCombination,
} from './demo-data-curriculum.ts';

/** Students per class: classes = max(3, round(students / 42)). */
export const DEMO_STUDENTS_PER_CLASS = 42;

/**
 * Average teaching load used to size each teaching group, in periods per year
 * (11 periods/week × 35 weeks). Below the 17-period norm on purpose: homeroom
 * teachers add HĐTN-HN and heads get reductions, and it lands the default school
 * at about 90 staff, like the real one.
 */
const TARGET_LOAD = 11 * 35;
const HEAD_REDUCTION = 3 * 35; // tổ trưởng: 3 periods/week off
const IT_OFFICER_REDUCTION = 4 * 35; // cán bộ CNTT: fewer classes to leave time for the systems

export type Grade = 10 | 11 | 12;

export interface ClassPlan {
  name: string;
  grade: Grade;
  indexInGrade: number;
  combination: DemoCombination;
  subjects: Array<{ code: string; topicCluster: boolean; subject: CatalogueSubject }>;
}

const SUBJECT_BY_CODE = new Map(THPT_SUBJECTS.map((s) => [s.code, s]));
const COMBINATION_BY_CODE = new Map(DEMO_COMBINATIONS.map((c) => [c.code, c]));

export function planClasses(students: number): ClassPlan[] {
  const count = Math.max(3, Math.round(students / DEMO_STUDENTS_PER_CLASS));
  const plans: ClassPlan[] = [];
  ([10, 11, 12] as const).forEach((grade, g) => {
    const inGrade = Math.floor(count / 3) + (g < count % 3 ? 1 : 0);
    for (let i = 0; i < inGrade; i++) {
      const combination = COMBINATION_BY_CODE.get(CLASS_COMBINATION_PATTERN[i % CLASS_COMBINATION_PATTERN.length]!)!;
      plans.push({ name: `${grade}A${i + 1}`, grade, indexInGrade: i, combination, subjects: classSubjects(combination) });
    }
  });
  return plans;
}

/** The 8 compulsory subjects plus the combination's 4 electives, in catalogue order. */
function classSubjects(combination: DemoCombination): ClassPlan['subjects'] {
  const codes = new Set<string>(combination.electives);
  const chosen = THPT_SUBJECTS.filter((s) => s.kind === 'compulsory' || codes.has(s.code));
  for (const code of combination.clusters) {
    // Fail loudly if the demo data ever disagrees with the catalogue.
    const s = SUBJECT_BY_CODE.get(code);
    if (!s?.topicClusterAllowed || !chosen.includes(s)) throw new Error(`Demo data: ${combination.code} cannot carry a topic cluster in ${code}`);
  }
  return chosen.map((subject) => ({ code: subject.code, topicCluster: combination.clusters.includes(subject.code), subject }));
}

export function combinationLabel(c: DemoCombination): string {
  return `${c.code}: ${c.electives.map((code) => SUBJECT_SHORT_NAMES[code] ?? code).join(', ')}`;
}

// ---------------------------------------------------------------- teaching assignments

export interface Teacher {
  department: number;
  subjects: readonly string[];
  head: boolean;
  itOfficer: boolean;
  /** Periods per year. */
  load: number;
  homeroomClass: number | null;
}

export interface Teaching {
  teachers: Teacher[];
  /** Per class: subject code → teacher index. */
  teacherOf: Array<Map<string, number>>;
  homeroomOfClass: number[];
}

/** Yearly periods a class-subject costs its teacher: the subject plus its topic cluster (35 periods). */
function periodsOf(s: ClassPlan['subjects'][number]): number {
  return s.subject.periodsPerYear + (s.topicCluster ? 35 : 0);
}

export function assignTeachers(plans: ClassPlan[]): Teaching {
  const teachers: Teacher[] = [];
  const teacherOf = plans.map(() => new Map<string, number>());
  DEMO_DEPARTMENTS.forEach((dept, d) => {
    let headChosen = false;
    for (const groupSubjects of dept.groups) {
      const bundles = plans.map((p) => p.subjects.filter((s) => groupSubjects.includes(s.code)));
      const demand = bundles.reduce((sum, b) => sum + b.reduce((x, s) => x + periodsOf(s), 0), 0);
      const isIt = groupSubjects.includes('TH');
      // The IT officer teaches Tin học, so that group always has at least one teacher.
      const size = demand === 0 && !isIt ? 0 : Math.max(1, Math.round(demand / TARGET_LOAD));
      const members: number[] = [];
      for (let k = 0; k < size; k++) {
        const itOfficer = isIt && k === 0;
        const head: boolean = !headChosen && !itOfficer;
        headChosen ||= head;
        const load = (head ? HEAD_REDUCTION : 0) + (itOfficer ? IT_OFFICER_REDUCTION : 0);
        members.push(teachers.push({ department: d, subjects: groupSubjects, head, itOfficer, load, homeroomClass: null }) - 1);
      }
      // Greedy: each class goes to the least-loaded teacher of the group (ties: first hired).
      bundles.forEach((bundle, c) => {
        if (bundle.length === 0) return;
        let best = members[0]!;
        for (const t of members) if (teachers[t]!.load < teachers[best]!.load) best = t;
        for (const s of bundle) teacherOf[c]!.set(s.code, best);
        teachers[best]!.load += bundle.reduce((x, s) => x + periodsOf(s), 0);
      });
    }
  });
  const homeroomOfClass = assignHomerooms(plans, teachers, teacherOf);
  return { teachers, teacherOf, homeroomOfClass };
}

// Subjects whose teachers are not asked to be homeroom teachers when others can be.
const NOT_HOMEROOM_FIRST = new Set(['GDTC', 'GDQPAN', 'NDGDDP', 'AN', 'MT', HOMEROOM_SUBJECT]);
const HDTN_PERIODS = SUBJECT_BY_CODE.get(HOMEROOM_SUBJECT)!.periodsPerYear;

/**
 * One homeroom teacher per class, never two classes for one teacher. The homeroom
 * teacher is someone who already teaches the class (preferring a rotating main
 * subject, so homerooms spread over departments), and also teaches its HĐTN-HN.
 */
function assignHomerooms(plans: ClassPlan[], teachers: Teacher[], teacherOf: Array<Map<string, number>>): number[] {
  const free = (t: number): boolean => teachers[t]!.homeroomClass === null && !teachers[t]!.itOfficer;
  return plans.map((p, c) => {
    const main = p.subjects.map((s) => s.code).filter((code) => !NOT_HOMEROOM_FIRST.has(code));
    const shift = p.indexInGrade % main.length;
    const preferred = [...main.slice(shift), ...main.slice(0, shift)].map((code) => teacherOf[c]!.get(code)!);
    const others = [...teacherOf[c]!.values()];
    const chosen =
      preferred.find((t) => free(t) && !teachers[t]!.head) ??
      others.find((t) => free(t) && !teachers[t]!.head) ??
      others.find(free) ??
      leastLoadedFree(teachers, free);
    if (chosen === undefined) throw new Error(`Demo data: no teacher left to be homeroom teacher of ${p.name}`);
    teachers[chosen]!.homeroomClass = c;
    teachers[chosen]!.load += HDTN_PERIODS;
    teacherOf[c]!.set(HOMEROOM_SUBJECT, chosen);
    return chosen;
  });
}

function leastLoadedFree(teachers: Teacher[], free: (t: number) => boolean): number | undefined {
  let best: number | undefined;
  teachers.forEach((teacher, t) => {
    if (free(t) && (best === undefined || teacher.load < teachers[best]!.load)) best = t;
  });
  return best;
}
