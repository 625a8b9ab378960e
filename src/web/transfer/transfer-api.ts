/** The transfer endpoints (docs/transfer.md): export, import, acknowledgment, records from other schools. */
import type { ExternalRecordView, TransferInResultView, TransferInView, TransferOutView } from '../../server/api-types.ts';
import { request } from '../api.ts';

const enc = encodeURIComponent;

function form(fields: Record<string, string>, file: File): FormData {
  // Text fields first: the server reads them from the parts before the file.
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', file);
  return f;
}

export const transferApi = {
  exported: () => request<{ transfers: TransferOutView[] }>('GET', '/api/transfers/out'),
  exportPackage: (body: { studentId: string; destination: string; reason: string; password: string }) => request<{ transfer: TransferOutView }>('POST', '/api/transfers/out', body),
  packageUrl: (id: string) => `/api/transfers/out/${enc(id)}/package`,
  uploadAcknowledgment: (file: File) => request<{ transfer: TransferOutView & { studentTransferredOut: boolean } }>('POST', '/api/transfers/out/acknowledgment', form({}, file)),
  imported: () => request<{ transfers: TransferInView[] }>('GET', '/api/transfers/in'),
  importPackage: (classId: string, password: string, file: File) => request<{ transfer: TransferInResultView }>('POST', '/api/transfers/in', form({ classId, password }, file)),
  ackUrl: (id: string) => `/api/transfers/in/${enc(id)}/acknowledgment`,
  externalRecords: (studentId: string) => request<{ records: ExternalRecordView[] }>('GET', `/api/students/${enc(studentId)}/external-records`),
  externalFileUrl: (id: string, kind: 'pdf' | 'xml') => `/api/external-records/${enc(id)}/${kind}`,
};
