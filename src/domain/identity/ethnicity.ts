/**
 * The 54 ethnic groups of Việt Nam with their 2-digit codes from GSO decision
 * 121-TCTK/PPCĐ (1979), as listed in DOMAIN.md §6.
 *
 * [M] Sources disagree on the order of 20/21 (Mnông, Ra-glai) and of 52–54 (Brâu,
 * Ơ Đu, Rơ-măm). This file is the one place to correct them.
 */
import { foldVietnamese } from './names.ts';

export interface EthnicGroup {
  /** Two digits, '01'–'54'. */
  code: string;
  /** Official Vietnamese name. */
  name: string;
  /** Other spellings found in school files (older or international names). */
  aliases: readonly string[];
}

const g = (code: string, name: string, ...aliases: string[]): EthnicGroup => ({ code, name, aliases });

export const ETHNIC_GROUPS: readonly EthnicGroup[] = [
  g('01', 'Kinh', 'Việt'),
  g('02', 'Tày'),
  g('03', 'Thái'),
  g('04', 'Hoa', 'Hán'),
  g('05', 'Khơ-me', 'Khmer', 'Khơme Krôm'),
  g('06', 'Mường'),
  g('07', 'Nùng'),
  g('08', 'Mông', 'H\'Mông', 'Hmông', 'Hmong', 'Mèo'),
  g('09', 'Dao'),
  g('10', 'Gia-rai', 'Jrai', 'Jarai'),
  g('11', 'Ngái'),
  g('12', 'Ê-đê', 'Rhade'),
  g('13', 'Ba-na', 'Bahnar'),
  g('14', 'Xơ-đăng', 'Sedang'),
  g('15', 'Sán Chay', 'Cao Lan', 'Sán Chỉ'),
  g('16', 'Cơ-ho', 'K\'Ho', 'Koho'),
  g('17', 'Chăm', 'Chàm', 'Cham'),
  g('18', 'Sán Dìu'),
  g('19', 'Hrê', 'H\'rê'),
  g('20', 'Mnông', 'M\'Nông'), // [M] order of 20/21
  g('21', 'Ra-glai', 'Raglai'), // [M] order of 20/21
  g('22', 'Xtiêng', 'Stiêng', 'X\'tiêng'),
  g('23', 'Bru-Vân Kiều', 'Vân Kiều', 'Bru'),
  g('24', 'Thổ'),
  g('25', 'Giáy'),
  g('26', 'Cơ-tu', 'Katu'),
  g('27', 'Giẻ-Triêng', 'Gié-Triêng'),
  g('28', 'Mạ'),
  g('29', 'Khơ-mú', 'Khmu', 'Khơmú'),
  g('30', 'Co', 'Cor'),
  g('31', 'Tà-ôi', 'Ta Oi', 'Pa Cô'),
  g('32', 'Chơ-ro', 'Chro'),
  g('33', 'Kháng'),
  g('34', 'Xinh-mun'),
  g('35', 'Hà Nhì'),
  g('36', 'Chu-ru'),
  g('37', 'Lào'),
  g('38', 'La Chí'),
  g('39', 'La Ha'),
  g('40', 'Phù Lá'),
  g('41', 'La Hủ'),
  g('42', 'Lự'),
  g('43', 'Lô Lô'),
  g('44', 'Chứt'),
  g('45', 'Mảng'),
  g('46', 'Pà Thẻn'),
  g('47', 'Cơ Lao'),
  g('48', 'Cống'),
  g('49', 'Bố Y'),
  g('50', 'Si La'),
  g('51', 'Pu Péo'),
  g('52', 'Brâu'), // [M] order of 52–54
  g('53', 'Ơ Đu'), // [M] order of 52–54
  g('54', 'Rơ-măm'), // [M] order of 52–54
];

/**
 * The matching key of a name: folded (no accents, đ→d, lowercase) with spaces,
 * hyphens and apostrophes removed, and without a leading "dân tộc"
 * ("Khơ-me", "Khơ Me", "kho me" → "khome").
 */
export function ethnicityKey(name: string): string {
  return foldVietnamese(name).replace(/^dan toc\s+/u, '').replace(/[^a-z0-9]/gu, '');
}

const BY_KEY = new Map<string, EthnicGroup>();
for (const group of ETHNIC_GROUPS) {
  for (const n of [group.name, ...group.aliases]) BY_KEY.set(ethnicityKey(n), group);
}
const BY_CODE = new Map(ETHNIC_GROUPS.map((e) => [e.code, e]));

/**
 * Finds an ethnic group by name, ignoring accents, case, spaces, hyphens and
 * apostrophes, and accepting common other spellings ("Khmer" → 05). Null when unknown.
 */
export function findEthnicity(name: string): EthnicGroup | null {
  const key = ethnicityKey(name);
  return key === '' ? null : BY_KEY.get(key) ?? null;
}

/** The ethnic group with this 2-digit code ('01'–'54'), or null. */
export function ethnicityByCode(code: string): EthnicGroup | null {
  return BY_CODE.get(code) ?? null;
}
