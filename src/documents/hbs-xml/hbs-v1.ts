/**
 * HBS XML version 1, this project's record format (docs/format.md, schema/hbs-v1.xsd):
 * canonical writer, strict reader and the Ids that signatures reference. The same snapshot
 * always gives the same bytes, and `parse(serialize(s))` deep-equals `s`.
 */
import {
  AWARDS,
  IDENTITY_KEYS,
  PROMOTION_KINDS,
  SNAPSHOT_FORMAT_VERSION,
  parseAverage,
  snapshotProblems,
  type LevelsByPeriod,
  type RecordSnapshot,
  type SnapshotIdentity,
  type SubjectResult,
  type SubjectRow,
} from '../../domain/record/snapshot.ts';
import { LEVELS, type Level } from '../../domain/assessment/levels.ts';
import type { AssessmentForm } from '../../domain/assessment/catalogue.ts';
import { RecordFormatError, type DataElementIds, type RecordFormatAdapter } from './format-adapter.ts';
import { readXml, type XmlElement } from './xml-reader.ts';
import { writeXmlDocument, type OutElement } from './xml-writer.ts';

/** The HBS v1 namespace: a URN of this project, not a Ministry schema. */
export const HBS_V1_NAMESPACE = 'urn:hocba:hbs:1';
export const HBS_V1_VERSION = '1';
export const HBS_V1_MEDIA_TYPE = 'application/vnd.hocba.hbs+xml; version=1';

/** Id of the whole data block. */
export const RECORD_ELEMENT_ID = 'data';
/** Id of the identity block. */
export const IDENTITY_ELEMENT_ID = 'identity';
/** Id of the year block: "year-2025-2026". */
export const yearElementId = (schoolYear: string): string => `year-${schoolYear}`;
/** Id of a subject row: "subject-TOAN". */
export const subjectElementId = (code: string): string => `subject-${code}`;

const pascal = (k: string) => k[0]!.toUpperCase() + k.slice(1);
const el = (name: string, text: string | null): OutElement | null => (text === null ? null : { name, text });

function resultText(r: SubjectResult): string {
  return r.kind === 'exempt' ? 'exempt' : r.kind === 'score' ? r.average : r.result;
}

function levelsElement(name: string, l: LevelsByPeriod): OutElement {
  return {
    name,
    children: [el('SemesterI', l.semesterI), el('SemesterII', l.semesterII), el('WholeYear', l.year), el('AfterSummer', l.afterSummer)],
  };
}

function subjectElement(row: SubjectRow): OutElement {
  return {
    name: 'Subject',
    attributes: [['Id', subjectElementId(row.code)], ['code', row.code], ['form', row.form]],
    children: [
      el('Name', row.name),
      el('Teacher', row.teacherName),
      el('SemesterI', resultText(row.semesterI)),
      el('SemesterII', resultText(row.semesterII)),
      el('WholeYear', resultText(row.year)),
      el('Reassessment', row.reassessment === null ? null : resultText(row.reassessment)),
      el('Comment', row.comment),
    ],
  };
}

/** The canonical HBS v1 document of a snapshot; throws RecordFormatError when the snapshot is malformed. */
export function serializeHbsV1(s: RecordSnapshot): string {
  const problems = snapshotProblems(s);
  if (problems.length) {
    throw new RecordFormatError(`the snapshot is not well formed: ${problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('; ')}`);
  }
  const id = s.identity;
  const y = s.year;
  return writeXmlDocument({
    name: 'HocBa',
    attributes: [['xmlns', HBS_V1_NAMESPACE], ['version', HBS_V1_VERSION]],
    children: [
      {
        name: 'Data',
        attributes: [['Id', RECORD_ELEMENT_ID]],
        children: [
          el('FrozenAt', s.frozenAt),
          {
            name: 'Identity',
            attributes: [['Id', IDENTITY_ELEMENT_ID]],
            children: IDENTITY_KEYS.map((k) => el(pascal(k), k === 'grade' ? String(id.grade) : id[k])),
          },
          {
            name: 'Year',
            attributes: [['Id', yearElementId(s.schoolYear)], ['schoolYear', s.schoolYear]],
            children: [
              { name: 'School', children: [el('Code', s.school.code), el('Name', s.school.name), el('Province', s.school.province)] },
              { name: 'Subjects', children: y.subjects.map(subjectElement) },
              levelsElement('Conduct', y.conduct),
              levelsElement('Learning', y.learning),
              { name: 'Absences', children: [el('Excused', String(y.absences.excused)), el('Unexcused', String(y.absences.unexcused))] },
              el('Promotion', y.promotion),
              el('Award', y.award),
              { name: 'Homeroom', children: [el('Teacher', y.homeroom.teacherName), el('Comment', y.homeroom.comment)] },
            ],
          },
        ],
      },
      { name: 'Signatures' },
    ],
  });
}

// ---------------------------------------------------------------------------------------
// Reading

const fail = (reason: string, e: XmlElement): never => {
  throw new RecordFormatError(reason, { element: e.local, line: e.line });
};

/** Checks an HBS element's namespace and that it has exactly the attributes listed. */
function attributes(e: XmlElement, allowed: readonly string[]): Record<string, string> {
  if (e.ns !== HBS_V1_NAMESPACE) fail(`element is in namespace "${e.ns}", expected "${HBS_V1_NAMESPACE}"`, e);
  const out: Record<string, string> = {};
  for (const a of e.attributes) {
    if (a.ns !== '' || !allowed.includes(a.local)) fail(`unexpected attribute ${a.name}`, e);
    out[a.local] = a.value;
  }
  for (const name of allowed) if (!(name in out)) fail(`missing attribute ${name}`, e);
  return out;
}

/** Walks an element-only element's children in their fixed order. */
class Children {
  private i = 0;
  constructor(private readonly parent: XmlElement) {
    if (parent.text.trim() !== '') fail('unexpected text (this element holds elements only)', parent);
  }
  /** The next child if it is `<local>`, else null. */
  maybe(local: string): XmlElement | null {
    const c = this.parent.children[this.i];
    if (c && c.local === local && c.ns === HBS_V1_NAMESPACE) {
      this.i++;
      return c;
    }
    return null;
  }
  /** The next child, which must be `<local>`. */
  take(local: string): XmlElement {
    const c = this.maybe(local);
    if (c) return c;
    const found = this.parent.children[this.i];
    return fail(found ? `expected <${local}>, found <${found.name}> at line ${found.line}` : `missing <${local}>`, this.parent);
  }
  /** Asserts every child was read. */
  end(): void {
    const c = this.parent.children[this.i];
    if (c) fail(`unexpected element <${c.name}> in <${this.parent.local}>`, c);
  }
}

/** The text of a text-only element with no attributes. */
function text(e: XmlElement): string {
  attributes(e, []);
  if (e.children.length) fail(`unexpected element <${e.children[0]!.name}> inside a text element`, e.children[0]!);
  if (e.text === '') fail('empty value (omit the element instead)', e);
  if (e.text.normalize('NFC') !== e.text) fail('text is not in Unicode NFC', e);
  return e.text;
}
const optionalText = (e: XmlElement | null) => (e === null ? null : text(e));

function oneOf<T extends string>(e: XmlElement, values: readonly T[]): T {
  const v = text(e);
  if (!(values as readonly string[]).includes(v)) fail(`"${v}" is not one of ${values.join(', ')}`, e);
  return v as T;
}

function count(e: XmlElement): number {
  const v = text(e);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(v)) fail(`"${v}" is not a whole number 0–999 in canonical form`, e);
  return Number(v);
}

function result(e: XmlElement, form: AssessmentForm): SubjectResult {
  const v = text(e);
  if (v === 'exempt') return { kind: 'exempt' };
  if (form === 'score') {
    if (parseAverage(v) === null) fail(`"${v}" is not a canonical average such as 7.9 or 10.0 (or "exempt")`, e);
    return { kind: 'score', average: v };
  }
  if (v !== 'D' && v !== 'CD') fail(`"${v}" is not D, CD or exempt`, e);
  return { kind: 'comment', result: v as 'D' | 'CD' };
}

function readLevels(e: XmlElement): LevelsByPeriod {
  attributes(e, []);
  const c = new Children(e);
  const l: LevelsByPeriod = {
    semesterI: oneOf<Level>(c.take('SemesterI'), LEVELS),
    semesterII: oneOf<Level>(c.take('SemesterII'), LEVELS),
    year: oneOf<Level>(c.take('WholeYear'), LEVELS),
    afterSummer: null,
  };
  const after = c.maybe('AfterSummer');
  if (after) l.afterSummer = oneOf<Level>(after, LEVELS);
  c.end();
  return l;
}

function readSubject(e: XmlElement): SubjectRow {
  const a = attributes(e, ['Id', 'code', 'form']);
  const code = a.code as string;
  if (a.Id !== subjectElementId(code)) fail(`Id "${a.Id}" should be "${subjectElementId(code)}"`, e);
  if (a.form !== 'score' && a.form !== 'comment') fail(`form "${a.form}" is not score or comment`, e);
  const form = a.form as AssessmentForm;
  const c = new Children(e);
  const row: SubjectRow = {
    code,
    name: text(c.take('Name')),
    form,
    teacherName: text(c.take('Teacher')),
    semesterI: result(c.take('SemesterI'), form),
    semesterII: result(c.take('SemesterII'), form),
    year: result(c.take('WholeYear'), form),
    reassessment: null,
    comment: null,
  };
  const re = c.maybe('Reassessment');
  if (re) row.reassessment = result(re, form);
  row.comment = optionalText(c.maybe('Comment'));
  c.end();
  return row;
}

function readIdentity(e: XmlElement): SnapshotIdentity {
  const a = attributes(e, ['Id']);
  if (a.Id !== IDENTITY_ELEMENT_ID) fail(`Id "${a.Id}" should be "${IDENTITY_ELEMENT_ID}"`, e);
  const c = new Children(e);
  const out: Record<string, string | number | null> = {};
  for (const k of IDENTITY_KEYS) {
    const name = pascal(k);
    if (k === 'fullName' || k === 'className') out[k] = text(c.take(name));
    else if (k === 'grade') {
      const g = c.take(name);
      const v = text(g);
      if (!/^(?:[6-9]|1[0-2])$/.test(v)) fail(`grade "${v}" is not 6–12`, g);
      out[k] = Number(v);
    } else if (k === 'gender') {
      const g = c.maybe(name);
      out[k] = g ? oneOf(g, ['male', 'female'] as const) : null;
    } else out[k] = optionalText(c.maybe(name));
  }
  c.end();
  return out as unknown as SnapshotIdentity;
}

/** Reads the root and checks namespace, version and the outer structure; returns the data element. */
function readRoot(xml: string): XmlElement {
  const root = readXml(xml);
  if (root.local !== 'HocBa') fail('the root element must be <HocBa>', root);
  const a = attributes(root, ['version']);
  if (a.version !== HBS_V1_VERSION) fail(`version "${a.version}" is not supported (expected "${HBS_V1_VERSION}")`, root);
  const c = new Children(root);
  const data = c.take('Data');
  const sigs = c.take('Signatures');
  c.end();
  attributes(sigs, []);
  if (sigs.text.trim() !== '') fail('unexpected text', sigs);
  for (const s of sigs.children) if (s.ns === HBS_V1_NAMESPACE || s.ns === '') fail(`<${s.name}> does not belong in <Signatures> (signature elements only)`, s);
  const d = attributes(data, ['Id']);
  if (d.Id !== RECORD_ELEMENT_ID) fail(`Id "${d.Id}" should be "${RECORD_ELEMENT_ID}"`, data);
  return data;
}

/** Reads an HBS v1 document back into its snapshot; throws RecordFormatError naming the element and line. */
export function parseHbsV1(xml: string): RecordSnapshot {
  const data = readRoot(xml);
  const c = new Children(data);
  const frozenAt = text(c.take('FrozenAt'));
  const identity = readIdentity(c.take('Identity'));
  const yearEl = c.take('Year');
  c.end();
  const ya = attributes(yearEl, ['Id', 'schoolYear']);
  const schoolYear = ya.schoolYear as string;
  if (ya.Id !== yearElementId(schoolYear)) fail(`Id "${ya.Id}" should be "${yearElementId(schoolYear)}"`, yearEl);
  const yc = new Children(yearEl);
  const schoolEl = yc.take('School');
  attributes(schoolEl, []);
  const sc = new Children(schoolEl);
  const school = { code: text(sc.take('Code')), name: text(sc.take('Name')), province: text(sc.take('Province')) };
  sc.end();
  const subjectsEl = yc.take('Subjects');
  attributes(subjectsEl, []);
  const subc = new Children(subjectsEl);
  const subjects: SubjectRow[] = [];
  for (let s = subc.maybe('Subject'); s; s = subc.maybe('Subject')) subjects.push(readSubject(s));
  subc.end();
  const conduct = readLevels(yc.take('Conduct'));
  const learning = readLevels(yc.take('Learning'));
  const absEl = yc.take('Absences');
  attributes(absEl, []);
  const ac = new Children(absEl);
  const absences = { excused: count(ac.take('Excused')), unexcused: count(ac.take('Unexcused')) };
  ac.end();
  const promotion = oneOf(yc.take('Promotion'), PROMOTION_KINDS);
  const awardEl = yc.maybe('Award');
  const award = awardEl ? oneOf(awardEl, AWARDS) : null;
  const hrEl = yc.take('Homeroom');
  attributes(hrEl, []);
  const hc = new Children(hrEl);
  const homeroom = { teacherName: text(hc.take('Teacher')), comment: optionalText(hc.maybe('Comment')) };
  hc.end();
  yc.end();

  const snapshot: RecordSnapshot = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    school,
    schoolYear,
    identity,
    year: { subjects, conduct, learning, absences, promotion, award, homeroom },
    frozenAt,
  };
  const problems = snapshotProblems(snapshot);
  if (problems.length) {
    const p = problems[0]!;
    throw new RecordFormatError(`${p.path} ${p.message}`, { element: elementForPath(p.path), line: null });
  }
  return snapshot;
}

/** The element name a snapshot path is written as (for error messages). */
function elementForPath(path: string): string {
  const last = path.split('.').pop()!.replace(/\[\d+\]$/, '');
  const names: Record<string, string> = { year: 'WholeYear', teacherName: 'Teacher', schoolYear: 'Year', subjects: 'Subject', code: 'Code' };
  return names[last] ?? pascal(last);
}

/** The signable element Ids of a snapshot's document. */
function idsOf(s: RecordSnapshot): DataElementIds {
  return {
    record: RECORD_ELEMENT_ID,
    identity: IDENTITY_ELEMENT_ID,
    year: yearElementId(s.schoolYear),
    subjects: s.year.subjects.map((r) => ({ code: r.code, id: subjectElementId(r.code) })),
  };
}

/** The HBS XML v1 format adapter. */
export const hbsV1: RecordFormatAdapter = {
  id: 'hbs',
  version: HBS_V1_VERSION,
  namespace: HBS_V1_NAMESPACE,
  mediaType: HBS_V1_MEDIA_TYPE,
  signatureContainer: { namespace: HBS_V1_NAMESPACE, localName: 'Signatures' },
  serialize: serializeHbsV1,
  parse: parseHbsV1,
  dataElementIds: (source) => idsOf(typeof source === 'string' ? parseHbsV1(source) : source),
};
