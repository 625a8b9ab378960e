/**
 * Places for the demo school. Addresses are written the post-July-2025 way (commune →
 * province, no district). Commune and village names sound like the Hậu Lộc area of
 * Thanh Hóa but are demo values, not an authoritative gazetteer.
 */
import type { Weighted } from './demo-data-names.ts';

export const SCHOOL = {
  code: 'THPT-HAULOC1',
  name: 'Trường THPT Hậu Lộc I',
  province: 'Thanh Hóa',
  commune: 'Xã Hậu Lộc',
  address: 'Xã Hậu Lộc, Tỉnh Thanh Hóa',
  /** Reserved .example domain: demo e-mail must never reach a real mailbox. */
  emailDomain: 'thpt-hauloc1.example',
} as const;

export const SCHOOL_YEAR = {
  name: '2025-2026',
  startsOn: '2025-09-05',
  // Teaching ends in May, but the học bạ is signed and sealed until 30 June (DOMAIN.md §1).
  endsOn: '2026-06-30',
} as const;

/** Pre-2025 province code of Thanh Hóa, the first block of most students' CCCD. */
export const HOME_PROVINCE_CODE = '038';

/** Communes students live in and were born in; most come from the school's own commune. */
export const HOME_COMMUNES: Weighted<string> = [
  ['Xã Hậu Lộc', 40], ['Xã Triệu Lộc', 12], ['Xã Đông Thành', 10], ['Xã Hoa Lộc', 10], ['Xã Vạn Lộc', 10],
  ['Xã Hoằng Hóa', 6], ['Xã Nga Sơn', 4], ['Phường Hạc Thành', 4], ['Phường Sầm Sơn', 2], ['Phường Bỉm Sơn', 2],
];

export const VILLAGES: readonly string[] = [
  'Thôn Đồng Tâm', 'Thôn Trung Hải', 'Thôn Phú Lương', 'Thôn Yên Lộc', 'Thôn Thắng Lợi', 'Thôn Tiến Thành',
  'Thôn Xuân Phú', 'Thôn Minh Thịnh', 'Thôn Bắc Sơn', 'Thôn Hòa Bình', 'Thôn Đại Lộc', 'Thôn Văn Phong',
  'Thôn Thành Công', 'Thôn Phú Nhi', 'Thôn Liên Hải', 'Thôn Đông Hưng', 'Thôn Tam Đa', 'Thôn Y Bích',
  'Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn 4', 'Thôn 5', 'Thôn 6',
];

/** Birth places outside Thanh Hóa (families that came back from work in other provinces). */
export const OTHER_BIRTH_PROVINCES: ReadonlyArray<{ code: string; places: readonly string[]; weight: number }> = [
  { code: '001', places: ['Phường Hoàng Mai, Hà Nội', 'Phường Cầu Giấy, Hà Nội', 'Xã Đông Anh, Hà Nội'], weight: 4 },
  { code: '040', places: ['Phường Vinh Phú, Nghệ An', 'Xã Quỳnh Lưu, Nghệ An'], weight: 3 },
  { code: '037', places: ['Phường Hoa Lư, Ninh Bình', 'Xã Kim Sơn, Ninh Bình'], weight: 2 },
  { code: '074', places: ['Phường Thủ Dầu Một, Bình Dương', 'Phường Dĩ An, Bình Dương'], weight: 3 },
  { code: '079', places: ['Phường Tân Bình, TP Hồ Chí Minh', 'Phường Bình Tân, TP Hồ Chí Minh'], weight: 3 },
  { code: '075', places: ['Phường Biên Hòa, Đồng Nai'], weight: 1 },
  { code: '031', places: ['Phường Hồng Bàng, Hải Phòng'], weight: 1 },
  { code: '036', places: ['Xã Hải Hậu, Nam Định'], weight: 1 },
];

/** Mobile prefixes in use (Viettel 03x/09x, VinaPhone 091/094, MobiFone 090/093). */
export const PHONE_PREFIXES: readonly string[] = [
  '090', '091', '093', '094', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039',
];
