/** The records endpoints: states in the lists, versions and their PDF/XML, bulk exports. */
import type { ClassRecordsView, RecordClassesOverview, RecordExportList, RecordExportView, RecordVersionSummary } from '../../server/api-types.ts';
import { request } from '../api.ts';

const enc = encodeURIComponent;

export const recordsApi = {
  classRecords: (classId: string) => request<ClassRecordsView>('GET', `/api/classes/${enc(classId)}/records`),
  classesOverview: () => request<RecordClassesOverview>('GET', '/api/records/classes'),
  versions: (studentId: string) => request<{ versions: RecordVersionSummary[] }>('GET', `/api/students/${enc(studentId)}/records`),
  previewUrl: (versionId: string) => `/api/record-versions/${enc(versionId)}/preview`,
  pdfUrl: (versionId: string) => `/api/record-versions/${enc(versionId)}/pdf`,
  xmlUrl: (versionId: string) => `/api/record-versions/${enc(versionId)}/xml`,
  startExport: (body: { scope: 'class'; classId: string } | { scope: 'school' }) => request<RecordExportView>('POST', '/api/record-exports', body),
  exportStatus: (id: string) => request<RecordExportView>('GET', `/api/record-exports/${enc(id)}`),
  exports: (classId?: string) => request<RecordExportList>('GET', `/api/record-exports${classId ? `?classId=${enc(classId)}` : ''}`),
};

/** Still to finish: the UI keeps polling. */
export function isActiveExport(e: Pick<RecordExportView, 'status'>): boolean {
  return e.status === 'queued' || e.status === 'running';
}

/** A byte count as people read it: "820 kB", "12,4 MB" (decimal units, the locale's comma). */
export function formatBytes(bytes: number, locale: 'vi' | 'en'): string {
  const tag = locale === 'vi' ? 'vi-VN' : 'en-GB';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000).toLocaleString(tag)} kB`;
  return `${(bytes / 1_000_000).toLocaleString(tag, { maximumFractionDigits: 1 })} MB`;
}
