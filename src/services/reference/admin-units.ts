/**
 * The official list of communes since 1 July 2025, loaded by the operator from a file
 * (CSV or XLSX with columns Mã tỉnh, Tên tỉnh, Mã xã, Tên xã), replacing the previous list
 * in one transaction. When loaded, current addresses are checked against it.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inSystem, type Tx } from '../../db/scope.ts';
import { adminUnits } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { foldVietnamese } from '../../domain/identity/names.ts';
import { communeKey, PROVINCES_2025 } from '../../domain/identity/provinces-2025.ts';
import { appendAudit, type Actor } from '../audit/append-audit.ts';
import { readTable } from '../import/read-table.ts';

const fold = (s: string) => foldVietnamese(s).replace(/\s+/g, ' ').trim();

export async function loadAdminUnits(opts: { db: Db; actor: Actor; fileName: string; content: Buffer }): Promise<{ communes: number; provinces: number }> {
  const table = await readTable(opts.content, opts.fileName);
  if (!table.ok) throw new DomainError('file.invalid', { reason: table.message.vi });
  const header = table.rows[0]?.map(fold) ?? [];
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const cols = { pc: col('ma tinh', 'ma tinh/tp'), pn: col('ten tinh', 'tinh', 'tinh/thanh pho', 'ten tinh/tp'), cc: col('ma xa', 'ma xa/phuong'), cn: col('ten xa', 'xa', 'xa/phuong', 'ten xa/phuong') };
  if (cols.pn < 0 || cols.cn < 0) throw new DomainError('file.invalid', { reason: 'cần các cột Tên tỉnh và Tên xã / needs columns Tên tỉnh and Tên xã' });
  const byName = new Map(PROVINCES_2025.map((p) => [fold(p.name).replace(/^(tinh|thanh pho|tp) /, ''), p]));
  const details: Array<{ path: string; message: string }> = [];
  const rows = table.rows.slice(1).flatMap((r, i) => {
    if (!r.some((c) => c.trim())) return [];
    const pname = fold(r[cols.pn] ?? '').replace(/^(tinh|thanh pho|tp) /, '');
    const province = byName.get(pname) ?? byName.get(pname.replace(/^ho chi minh$/, 'tp ho chi minh'));
    const commune = (r[cols.cn] ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!province) details.push({ path: `row ${i + 2}`, message: `Tỉnh "${r[cols.pn]}" không thuộc 34 tỉnh từ 1/7/2025.` });
    if (!commune) details.push({ path: `row ${i + 2}`, message: 'Thiếu tên xã/phường.' });
    return province && commune ? [{ provinceCode: province.code, provinceName: province.name, communeCode: cols.cc >= 0 ? r[cols.cc] || null : null, communeName: commune }] : [];
  });
  if (details.length) throw new DomainError('import.invalid', { count: details.length }, details);
  if (!rows.length) throw new DomainError('file.invalid', { reason: 'tệp không có dòng nào / the file has no rows' });
  return inSystem(opts.db, async (tx) => {
    await tx.delete(adminUnits);
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(adminUnits).values(rows.slice(i, i + 1000)).onConflictDoNothing();
    const provinces = new Set(rows.map((r) => r.provinceCode)).size;
    await appendAudit(tx, { actor: opts.actor, schoolId: null, action: 'admin_units.loaded', targetType: 'admin_units', targetId: null, after: { file: opts.fileName, communes: rows.length, provinces } });
    return { communes: rows.length, provinces };
  });
}

/** The loaded communes as communeKey()s (empty when no list is loaded). */
export async function loadCommunes(tx: Tx): Promise<Set<string>> {
  const rows = await tx.execute<{ c: string; p: string }>(sql`select commune_name as c, province_name as p from admin_units`);
  return new Set(rows.rows.map((r) => communeKey(r.c, r.p)));
}
