/**
 * The work of a records export (run by the job in src/jobs): for every student of the class
 * (or of every class of the year) in register order, the latest record version as PDF/A-3
 * plus its canonical XML, into one ZIP with a folder per class; a student without a current
 * version is listed in the manifest with the reason, never silently left out. Progress is
 * written after each student; the ZIP goes to the database in chunks as it is produced.
 */
import { isPracticeSchool } from '../practice/practice-school.ts';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isDiskFull } from '../../domain/errors.ts';
import { inSchool } from '../../db/scope.ts';
import { classes, enrolments, recordExportChunks, recordExports, recordVersions, schoolYears, schools, students } from '../../db/schema.ts';
import { compareVietnameseNames } from '../../domain/identity/names.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { manifestCsv, missingMessage, safeSegment, sha256Sums, ZipStreamWriter, type ExportManifest, type ManifestFile } from './export-zip.ts';
import { renderVersionPdf } from './render-version.ts';

/** Size of one stored piece of the ZIP. */
export const EXPORT_CHUNK_BYTES = 2 * 1024 * 1024;

const SYSTEM = { userId: null, label: 'system' } as const;

export type ExportOutcome = 'done' | 'failed' | 'skipped' | 'aborted';

export interface RunExportOptions {
  db: Db;
  schoolId: string;
  exportId: string;
  /** Printed in each PDF's QR code. */
  publicUrl: string;
  /** Stops between two students (shutdown); the export goes back to waiting. */
  signal?: AbortSignal;
  /** The PDF of one version (default: the real renderer); tests inject failures here. */
  renderPdf?: (v: { xml: string; digest: string }) => Promise<Buffer>;
}

class Aborted extends Error {}

/**
 * Runs one export to the end. Claims it first (only a waiting export is run, so a duplicate
 * job does nothing); a failure marks it failed with the reason, audited.
 */
export async function runRecordExport(opts: RunExportOptions): Promise<ExportOutcome> {
  const { db, schoolId, exportId } = opts;
  const claimed = await inSchool(db, schoolId, async (tx) => {
    const [row] = await tx
      .update(recordExports)
      .set({ status: 'running', startedAt: new Date(), heartbeatAt: new Date(), done: 0, total: 0, error: null, attempts: sql`${recordExports.attempts} + 1` })
      .where(and(eq(recordExports.id, exportId), eq(recordExports.status, 'queued')))
      .returning();
    // A previous attempt stopped half-way: start the ZIP again.
    if (row) await tx.delete(recordExportChunks).where(eq(recordExportChunks.exportId, exportId));
    return row;
  });
  if (!claimed) return 'skipped';
  try {
    const result = await build(opts, claimed);
    await inSchool(db, schoolId, async (tx) => {
      await tx
        .update(recordExports)
        .set({ status: 'done', finishedAt: new Date(), sizeBytes: result.bytes, sha256: result.sha256, fileCount: result.records, missingCount: result.missing })
        .where(eq(recordExports.id, exportId));
      await appendAudit(tx, {
        actor: SYSTEM,
        schoolId,
        action: 'record_export.completed',
        targetType: 'record_export',
        targetId: exportId,
        after: { records: result.records, missing: result.missing, sizeBytes: result.bytes, sha256: result.sha256 },
      });
    });
    return 'done';
  } catch (err) {
    if (err instanceof Aborted) {
      await inSchool(db, schoolId, async (tx) => {
        await tx.delete(recordExportChunks).where(eq(recordExportChunks.exportId, exportId));
        await tx.update(recordExports).set({ status: 'queued', done: 0 }).where(eq(recordExports.id, exportId));
      });
      return 'aborted';
    }
    // A full disk is named as such (the driver's message names internal files, not the cause).
    const reason = isDiskFull(err) ? 'máy chủ hết dung lượng đĩa / the server is out of disk space (disk full); free space, then export again' : err instanceof Error ? err.message : String(err);
    const error = `Không tạo được tệp ZIP / could not build the ZIP: ${reason}`.slice(0, 2000);
    await inSchool(db, schoolId, async (tx) => {
      await tx.delete(recordExportChunks).where(eq(recordExportChunks.exportId, exportId));
      await tx.update(recordExports).set({ status: 'failed', error, finishedAt: new Date() }).where(eq(recordExports.id, exportId));
      await appendAudit(tx, { actor: SYSTEM, schoolId, action: 'record_export.failed', targetType: 'record_export', targetId: exportId, after: { error } });
    });
    return 'failed';
  }
}

interface ClassPlan {
  id: string;
  name: string;
  students: Array<{ id: string; fullName: string; studentCode: string | null }>;
}

async function build(opts: RunExportOptions, row: typeof recordExports.$inferSelect) {
  const { db, schoolId, exportId } = opts;
  const practice = await isPracticeSchool(db, schoolId);
  const render = opts.renderPdf ?? (async (v) => (await renderVersionPdf(v, opts.publicUrl, practice)).pdf);
  const plan = await inSchool(db, schoolId, async (tx) => {
    const [school] = await tx.select({ code: schools.code, name: schools.name }).from(schools).where(eq(schools.id, schoolId));
    const [year] = await tx.select({ name: schoolYears.name }).from(schoolYears).where(eq(schoolYears.id, row.schoolYearId));
    const cls = await tx
      .select({ id: classes.id, name: classes.name })
      .from(classes)
      .where(row.classId ? eq(classes.id, row.classId) : eq(classes.schoolYearId, row.schoolYearId))
      .orderBy(asc(classes.grade), sql`length(${classes.name})`, asc(classes.name));
    const plans: ClassPlan[] = [];
    for (const c of cls) {
      const list = await tx
        .select({ id: students.id, fullName: students.fullName, studentCode: students.studentCode })
        .from(enrolments)
        .innerJoin(students, eq(students.id, enrolments.studentId))
        .where(and(eq(enrolments.classId, c.id), eq(enrolments.status, 'active')));
      list.sort((a, b) => compareVietnameseNames(a.fullName, b.fullName));
      plans.push({ ...c, students: list });
    }
    const total = plans.reduce((n, p) => n + p.students.length, 0);
    await tx.update(recordExports).set({ total, heartbeatAt: new Date() }).where(eq(recordExports.id, exportId));
    return { school: school!, year: year!.name, classes: plans, total };
  });

  let seq = 0;
  const zip = new ZipStreamWriter(async (chunk) => {
    const n = seq++;
    await inSchool(db, schoolId, (tx) => tx.insert(recordExportChunks).values({ exportId, schoolId, seq: n, bytes: chunk }));
  }, EXPORT_CHUNK_BYTES);
  const manifest: ExportManifest = {
    format: 'hocba.record-export/1',
    exportId,
    school: { code: plan.school.code, name: plan.school.name.normalize('NFC') },
    schoolYear: plan.year,
    scope: row.scope === 'class' ? { kind: 'class', className: plan.classes[0]?.name ?? '' } : { kind: 'school', classes: plan.classes.length },
    createdAt: row.createdAt.toISOString(),
    requestedBy: row.requestedByLabel,
    counts: { students: plan.total, records: 0, missing: 0 },
    files: [],
    missing: [],
  };

  let done = 0;
  for (const c of plan.classes) {
    const folder = safeSegment(c.name);
    const versions = await inSchool(db, schoolId, async (tx) => {
      const ids = c.students.map((s) => s.id);
      if (!ids.length) return new Map<string, never>();
      const rows = await tx
        .selectDistinctOn([recordVersions.studentId], {
          studentId: recordVersions.studentId,
          version: recordVersions.version,
          state: recordVersions.state,
          xml: recordVersions.xml,
          digest: recordVersions.digest,
          frozenAt: recordVersions.frozenAt,
          fullName: sql<string | null>`${recordVersions.snapshot}->'identity'->>'fullName'`,
          studentCode: sql<string | null>`${recordVersions.snapshot}->'identity'->>'studentCode'`,
        })
        .from(recordVersions)
        .where(and(eq(recordVersions.schoolYearId, row.schoolYearId), inArray(recordVersions.studentId, ids)))
        .orderBy(recordVersions.studentId, desc(recordVersions.version));
      return new Map(rows.map((r) => [r.studentId, r]));
    });
    const used = new Set<string>();
    for (const s of c.students) {
      if (opts.signal?.aborted) throw new Aborted();
      const v = versions.get(s.id);
      const who = { className: c.name, studentId: s.id, studentCode: s.studentCode, fullName: s.fullName.normalize('NFC') };
      if (!v) {
        manifest.missing.push({ ...who, reason: 'not_frozen', message: missingMessage('not_frozen', { schoolYear: plan.year }) });
      } else if (v.state === 'superseded') {
        manifest.missing.push({ ...who, reason: 'superseded', message: missingMessage('superseded', { schoolYear: plan.year, version: v.version }) });
      } else {
        let pdf: Buffer | null = null;
        try {
          pdf = await render(v);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          manifest.missing.push({ ...who, reason: 'render_failed', message: missingMessage('render_failed', { schoolYear: plan.year, version: v.version, error }) });
        }
        if (pdf) {
          const fullName = (v.fullName ?? s.fullName).normalize('NFC');
          const code = v.studentCode ?? s.studentCode;
          let base = safeSegment(`${code ?? 'khong-ma'} ${fullName}`);
          for (let i = 2; used.has(base.toLowerCase()); i++) base = safeSegment(`${code ?? 'khong-ma'} ${fullName} (${i})`);
          used.add(base.toLowerCase());
          const common = { studentId: s.id, studentCode: code, fullName, className: c.name, version: v.version, recordState: v.state };
          const pdfEntry = await zip.add(`${folder}/${base}.pdf`, pdf, { compress: true, mtime: v.frozenAt });
          const xmlEntry = await zip.add(`${folder}/${base}.xml`, Buffer.from(v.xml, 'utf8'), { compress: true, mtime: v.frozenAt });
          const files: ManifestFile[] = [
            { ...pdfEntry, kind: 'pdf', ...common },
            { ...xmlEntry, kind: 'xml', ...common },
          ];
          manifest.files.push(...files);
          manifest.counts.records++;
        }
      }
      done++;
      await inSchool(db, schoolId, (tx) => tx.update(recordExports).set({ done, heartbeatAt: new Date() }).where(eq(recordExports.id, exportId)));
      // Rendering is CPU work on the server's thread: let waiting requests through between students.
      await new Promise((r) => setImmediate(r));
    }
  }
  manifest.counts.missing = manifest.missing.length;
  const at = row.createdAt;
  await zip.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), { compress: true, mtime: at });
  await zip.add('manifest.csv', Buffer.from(manifestCsv(manifest), 'utf8'), { compress: true, mtime: at });
  await zip.add('SHA256SUMS', Buffer.from(sha256Sums(manifest.files), 'utf8'), { compress: true, mtime: at });
  const out = await zip.end();
  return { ...out, records: manifest.counts.records, missing: manifest.counts.missing };
}
