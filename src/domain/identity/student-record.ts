/**
 * What makes a student's identity data "Đúng – Đủ – Sạch" (DOMAIN.md §1, §6): the fields
 * the học bạ identity page carries, which of them the school requires (data, not code:
 * each school keeps its own list), and the problems that block signing. Pure.
 */
import { ethnicityByCode } from './ethnicity.ts';
import { normalizePersonName } from './names.ts';
import { addressCommune, addressProvince, communeKey } from './provinces-2025.ts';
import { validatePersonalId } from './personal-id.ts';
import { validateStudentCode } from './student-code.ts';
import type { Gender, IsoDate } from './types.ts';

/** The identity-page fields (DOMAIN.md §3), with their labels. */
export const STUDENT_FIELDS = {
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  gender: { vi: 'Giới tính', en: 'Gender' },
  birthDate: { vi: 'Ngày sinh', en: 'Date of birth' },
  birthPlace: { vi: 'Nơi sinh', en: 'Place of birth' },
  ethnicityCode: { vi: 'Dân tộc', en: 'Ethnicity' },
  nationality: { vi: 'Quốc tịch', en: 'Nationality' },
  personalId: { vi: 'Số định danh cá nhân', en: 'Personal ID number' },
  studentCode: { vi: 'Mã học sinh', en: 'Student code' },
  hometown: { vi: 'Quê quán', en: 'Home town' },
  address: { vi: 'Nơi ở hiện nay', en: 'Current address' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  policyStatus: { vi: 'Đối tượng chính sách', en: 'Policy status' },
  fatherName: { vi: 'Họ tên cha', en: "Father's name" },
  fatherOccupation: { vi: 'Nghề nghiệp cha', en: "Father's occupation" },
  motherName: { vi: 'Họ tên mẹ', en: "Mother's name" },
  motherOccupation: { vi: 'Nghề nghiệp mẹ', en: "Mother's occupation" },
  guardianName: { vi: 'Họ tên người giám hộ', en: "Guardian's name" },
  guardianOccupation: { vi: 'Nghề nghiệp người giám hộ', en: "Guardian's occupation" },
} as const;

export type StudentField = keyof typeof STUDENT_FIELDS;

export function isStudentField(v: string): v is StudentField {
  return v in STUDENT_FIELDS;
}

/** The default list a new school starts from; in practice a student without a personal ID could not be signed [M]. */
export const DEFAULT_MANDATORY_FIELDS: readonly StudentField[] = [
  'fullName',
  'gender',
  'birthDate',
  'birthPlace',
  'ethnicityCode',
  'nationality',
  'personalId',
  'studentCode',
  'address',
];

export type StudentFacts = { [K in StudentField]?: string | null } & { gender?: Gender | string | null; birthDate?: IsoDate | null };

export interface RecordProblem {
  field: StudentField | 'parents';
  code: string;
  /** Blocking problems stop the record from being frozen for signing. */
  severity: 'blocking' | 'warning';
  message: { vi: string; en: string };
  value: string | null;
}

const empty = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/** Every problem of one student's identity data against the school's mandatory fields. */
export interface RecordContext {
  /** The official communes since July 2025 as communeKey()s, when the operator has loaded them. */
  communes?: ReadonlySet<string> | undefined;
}

export function checkStudentRecord(s: StudentFacts, mandatory: readonly StudentField[] = DEFAULT_MANDATORY_FIELDS, ctx: RecordContext = {}): RecordProblem[] {
  const out: RecordProblem[] = [];
  for (const f of mandatory) {
    if (empty(s[f])) {
      const label = STUDENT_FIELDS[f];
      out.push({ field: f, code: 'record.missing_field', severity: 'blocking', message: { vi: `Chưa có ${label.vi.toLowerCase()} (bắt buộc).`, en: `${label.en} is missing (mandatory).` }, value: null });
    }
  }
  if (!empty(s.personalId)) {
    const gender = s.gender === 'male' || s.gender === 'female' ? s.gender : undefined;
    for (const p of validatePersonalId(s.personalId!, { ...(s.birthDate ? { birthDate: s.birthDate } : {}), ...(gender ? { gender } : {}) })) {
      out.push({ field: 'personalId', code: p.code, severity: 'blocking', message: p.message, value: p.value });
    }
  }
  if (!empty(s.studentCode)) {
    for (const p of validateStudentCode(s.studentCode!)) out.push({ field: 'studentCode', code: p.code, severity: 'blocking', message: p.message, value: p.value });
  }
  if (!empty(s.ethnicityCode) && !ethnicityByCode(s.ethnicityCode!)) {
    out.push({ field: 'ethnicityCode', code: 'record.unknown_ethnicity', severity: 'blocking', message: { vi: `Mã dân tộc "${s.ethnicityCode}" không có trong danh mục 54 dân tộc.`, en: `Ethnicity code "${s.ethnicityCode}" is not in the 54-group table.` }, value: s.ethnicityCode! });
  }
  if (!empty(s.gender) && s.gender !== 'male' && s.gender !== 'female') {
    out.push({ field: 'gender', code: 'record.bad_gender', severity: 'blocking', message: { vi: 'Giới tính phải là Nam hoặc Nữ.', en: 'Gender must be male or female.' }, value: s.gender! });
  }
  for (const f of ['fullName', 'fatherName', 'motherName', 'guardianName'] as const) {
    const v = s[f];
    if (!empty(v) && normalizePersonName(v!) !== v) {
      out.push({ field: f, code: 'record.name_not_clean', severity: 'warning', message: { vi: `Tên cần chuẩn hoá thành "${normalizePersonName(v!)}".`, en: `The name should read "${normalizePersonName(v!)}".` }, value: v! });
    }
  }
  if (!empty(s.address)) {
    // The current address is written in the post-July-2025 form; older province names are accepted but flagged.
    const p = addressProvince(s.address!);
    if (p.kind === 'pre2025') {
      out.push({ field: 'address', code: 'record.old_province', severity: 'warning', message: { vi: `Nơi ở hiện nay ghi tỉnh "${p.name}" (trước 1/7/2025): cập nhật theo địa giới hành chính mới.`, en: `The current address names "${p.name}", a pre-July-2025 province: update it to the new units.` }, value: s.address! });
    } else if (p.kind === 'current' && ctx.communes?.size) {
      const c = addressCommune(s.address!);
      if (c && !ctx.communes.has(communeKey(c.commune, c.province))) {
        out.push({ field: 'address', code: 'record.unknown_commune', severity: 'warning', message: { vi: `"${c.commune}" không có trong danh mục xã/phường của ${c.province} từ 1/7/2025.`, en: `"${c.commune}" is not a commune of ${c.province} since 1 July 2025.` }, value: s.address! });
      }
    } else if (p.kind === 'unknown') {
      out.push({ field: 'address', code: 'record.address_no_province', severity: 'warning', message: { vi: 'Nơi ở hiện nay chưa ghi tỉnh/thành phố (xã/phường, tỉnh/thành phố).', en: 'The current address does not end with a province (commune, province).' }, value: s.address! });
    }
  }
  if (empty(s.fatherName) && empty(s.motherName) && empty(s.guardianName)) {
    out.push({ field: 'parents', code: 'record.no_parent', severity: 'warning', message: { vi: 'Chưa có thông tin cha, mẹ hoặc người giám hộ.', en: 'No father, mother or guardian recorded.' }, value: null });
  }
  return out;
}

/** True when nothing blocks signing. */
export function isClean(problems: readonly RecordProblem[]): boolean {
  return !problems.some((p) => p.severity === 'blocking');
}
