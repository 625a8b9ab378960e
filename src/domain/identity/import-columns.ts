/**
 * Recognising the columns of a student list: the sector-database export layout (DOMAIN.md
 * §6 [M], one city's THPT template) and the usual headers of a school's own sheet. Header
 * text is compared folded (no accents, lower case, single spaces). Pure.
 */
import { foldVietnamese } from './names.ts';
import type { StudentField } from './student-record.ts';

const fold = (s: string) => foldVietnamese(s).replace(/[^a-z0-9&]+/g, ' ').trim();

/** Header → field, for every spelling we know (folded). */
const SYNONYMS: Record<StudentField, string[]> = {
  fullName: ['ho ten', 'ho va ten', 'ho ten hoc sinh', 'ho va ten hoc sinh', 'ten hoc sinh'],
  gender: ['gioi tinh', 'gioi', 'nam nu'],
  birthDate: ['ngay sinh', 'ngay thang nam sinh', 'sinh ngay'],
  birthPlace: ['noi sinh', 'noi sinh chi tiet'],
  ethnicityCode: ['dan toc', 'ma dan toc'],
  nationality: ['quoc tich'],
  personalId: ['so dinh danh ca nhan', 'so dinh danh', 'ma dinh danh ca nhan', 'cccd', 'so cccd', 'can cuoc cong dan', 'so can cuoc'],
  studentCode: ['ma dinh danh bo gd&dt', 'ma dinh danh bo gd dt', 'ma dinh danh bo gddt', 'ma hoc sinh', 'ma hs', 'ma dinh danh hoc sinh'],
  hometown: ['que quan', 'tinh thanh que quan'],
  address: ['cho o hien nay', 'noi o hien nay', 'dia chi', 'dia chi hien nay', 'noi o'],
  phone: ['sdt lien he', 'so dien thoai', 'dien thoai', 'sdt'],
  policyStatus: ['doi tuong chinh sach', 'dien chinh sach', 'chinh sach'],
  fatherName: ['ten cha', 'ho ten cha', 'ho va ten cha'],
  fatherOccupation: ['nghe nghiep cha'],
  motherName: ['ten me', 'ho ten me', 'ho va ten me'],
  motherOccupation: ['nghe nghiep me'],
  guardianName: ['nguoi giam ho', 'ho ten nguoi giam ho', 'ten nguoi giam ho'],
  guardianOccupation: ['nghe nghiep nguoi giam ho'],
};

const BY_HEADER = new Map<string, StudentField>(Object.entries(SYNONYMS).flatMap(([f, names]) => names.map((n) => [fold(n), f as StudentField] as const)));

/** Columns of the sector-database export that carry no identity field of ours (recognised, deliberately not imported). */
const KNOWN_OTHER = new Set(['stt', 'trang thai', 'to thon ho khau thuong tru', 'phuong xa que quan', 'so cmnd', 'ngay cap', 'noi cap', 'nam sinh cha', 'nam sinh me', 'lop hoc', 'lop', 'khoi hoc', 'khoi', 'ghi chu']);

/** The sector-database export's headers, in order (DOMAIN.md §6). */
export const CSDL_NGANH_HEADERS = [
  'STT', 'Mã định danh Bộ GD&ĐT', 'Họ tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Trạng thái', 'SĐT liên hệ', 'Nơi sinh chi tiết',
  'Tổ/thôn hộ khẩu thường trú', 'Tỉnh thành quê quán', 'Phường/xã quê quán', 'Chỗ ở hiện nay', 'Số CMND', 'Ngày cấp', 'Nơi cấp',
  'Tên cha', 'Nghề nghiệp cha', 'Năm sinh cha', 'Tên mẹ', 'Nghề nghiệp mẹ', 'Năm sinh mẹ', 'Lớp học', 'Khối học', 'Số định danh cá nhân',
] as const;

export type ColumnMapping = Partial<Record<StudentField, number | null>>;

/** The field a header names, or null. */
export function fieldOfHeader(header: string): StudentField | null {
  return BY_HEADER.get(fold(header)) ?? null;
}

/** Where the header row is (within the first rows) and what each column holds. */
export function detectColumns(rows: readonly string[][], scan = 10): { headerRow: number; headers: string[]; mapping: ColumnMapping; layout: 'csdl_nganh' | 'custom'; classColumn: number | null; communeColumn: number | null } | null {
  let best: { i: number; score: number } | null = null;
  for (let i = 0; i < Math.min(scan, rows.length); i++) {
    const score = rows[i]!.filter((h) => fieldOfHeader(h) !== null).length;
    if (score >= 2 && (!best || score > best.score)) best = { i, score };
  }
  if (!best) return null;
  const headers = rows[best.i]!.map((h) => h.trim());
  const mapping: ColumnMapping = {};
  headers.forEach((h, col) => {
    const f = fieldOfHeader(h);
    if (f && mapping[f] === undefined) mapping[f] = col;
  });
  const folded = headers.map(fold);
  const csdl = CSDL_NGANH_HEADERS.filter((h) => folded.includes(fold(h))).length >= CSDL_NGANH_HEADERS.length - 3;
  const classColumn = folded.findIndex((h) => h === 'lop hoc' || h === 'lop');
  const communeColumn = folded.findIndex((h) => h === 'phuong xa que quan');
  return { headerRow: best.i, headers, mapping, layout: csdl ? 'csdl_nganh' : 'custom', classColumn: classColumn >= 0 ? classColumn : null, communeColumn: communeColumn >= 0 ? communeColumn : null };
}

/** Headers that are neither mapped nor known to carry nothing we keep: shown to the user, never silently dropped. */
export function unmappedHeaders(headers: readonly string[], mapping: ColumnMapping): string[] {
  const used = new Set(Object.values(mapping).filter((v): v is number => typeof v === 'number'));
  return headers.filter((h, i) => h && !used.has(i) && !KNOWN_OTHER.has(fold(h)));
}

/** A stable key of a header row, to remember the mapping a school chose for its own sheet. */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(fold).join('|');
}
