/**
 * The 34 provinces since 1 July 2025 (two-tier administration: province → commune), with
 * their official 2-digit codes (DOMAIN.md §6 [H]). Addresses written after that date use
 * these; older records use the 63 pre-2025 provinces (provinces-pre2025.ts), which stay
 * valid as history. The commune list (about 3,300 communes) is not available to us: commune
 * names are not checked, only the province.
 */
import { PROVINCES_PRE_2025 } from './provinces-pre2025.ts';
import { foldVietnamese } from './names.ts';

export const PROVINCES_2025_VALID_FROM = '2025-07-01';

export const PROVINCES_2025: ReadonlyArray<{ code: string; name: string }> = [
  ['01', 'Hà Nội'], ['04', 'Cao Bằng'], ['08', 'Tuyên Quang'], ['11', 'Điện Biên'], ['12', 'Lai Châu'], ['14', 'Sơn La'],
  ['15', 'Lào Cai'], ['19', 'Thái Nguyên'], ['20', 'Lạng Sơn'], ['22', 'Quảng Ninh'], ['24', 'Bắc Ninh'], ['25', 'Phú Thọ'],
  ['31', 'Hải Phòng'], ['33', 'Hưng Yên'], ['37', 'Ninh Bình'], ['38', 'Thanh Hóa'], ['40', 'Nghệ An'], ['42', 'Hà Tĩnh'],
  ['44', 'Quảng Trị'], ['46', 'Huế'], ['48', 'Đà Nẵng'], ['51', 'Quảng Ngãi'], ['52', 'Gia Lai'], ['56', 'Khánh Hòa'],
  ['66', 'Đắk Lắk'], ['68', 'Lâm Đồng'], ['75', 'Đồng Nai'], ['79', 'TP Hồ Chí Minh'], ['80', 'Tây Ninh'], ['82', 'Đồng Tháp'],
  ['86', 'Vĩnh Long'], ['91', 'An Giang'], ['92', 'Cần Thơ'], ['96', 'Cà Mau'],
].map(([code, name]) => ({ code: code!, name: name! }));

/** Folded province name without its prefix ("Tỉnh", "Thành phố", "TP"). */
function key(name: string): string {
  return foldVietnamese(name)
    .replace(/^(tinh|thanh pho|tp\.?)\s+/, '')
    .replace(/\s*[-–]\s*/g, ' ')
    .replace(/^ho chi minh$/, 'tp ho chi minh')
    .replace(/^thua thien hue$/, 'thua thien hue')
    .replace(/\s+/g, ' ')
    .trim();
}

const NEW = new Map(PROVINCES_2025.map((p) => [key(p.name), p]));
NEW.set('ho chi minh', PROVINCES_2025.find((p) => p.code === '79')!);
NEW.set('tp ho chi minh', PROVINCES_2025.find((p) => p.code === '79')!);
const OLD = new Map(PROVINCES_PRE_2025.map((p) => [key(p.name), p]));

/** What the last part of an address names: a current province, a pre-2025 one only, or nothing we know. */
export function addressProvince(address: string): { kind: 'current'; name: string } | { kind: 'pre2025'; name: string } | { kind: 'unknown' } {
  const parts = address.split(',').map((p) => p.trim()).filter(Boolean);
  const last = parts.at(-1);
  if (!last) return { kind: 'unknown' };
  const k = key(last);
  const now = NEW.get(k);
  if (now) return { kind: 'current', name: now.name };
  const old = OLD.get(k);
  if (old) return { kind: 'pre2025', name: old.name };
  return { kind: 'unknown' };
}

/**
 * "commune|province" key comparing a written commune with the official list: case and
 * spacing ignored (Unicode NFC), diacritics kept ("Hậu Lọc" is not "Hậu Lộc").
 */
export function communeKey(commune: string, province: string): string {
  const c = commune.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
  return `${c}|${key(province)}`;
}

/** The commune part of a post-2025 address ("…, Xã Hậu Lộc, Tỉnh Thanh Hóa"), when it names one. */
export function addressCommune(address: string): { commune: string; province: string } | null {
  const parts = address.split(',').map((p) => p.trim()).filter(Boolean);
  const p = addressProvince(address);
  if (p.kind !== 'current' || parts.length < 2) return null;
  const commune = parts.at(-2)!;
  return /^(xã|phường|đặc khu)\s/i.test(commune) ? { commune, province: p.name } : null;
}
