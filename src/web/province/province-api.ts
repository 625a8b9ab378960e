/** Client for the province routes (server/routes/province-routes.ts). */
import type { ProvinceAdminCreated, ProvinceBoard, ProvinceRef, ProvinceSchoolBoard, ProvinceSchoolList } from '../../server/api-types.ts';
import { request } from '../api.ts';

export interface CreateSchoolInput {
  code: string;
  name: string;
  commune: string;
  schoolYear: { name: string; startsOn: string; endsOn: string };
}

const enc = encodeURIComponent;

export const provinceApi = {
  board: () => request<ProvinceBoard>('GET', '/api/province/board'),
  boardXlsxUrl: '/api/province/board.xlsx',
  schoolBoard: (schoolId: string) => request<ProvinceSchoolBoard>('GET', `/api/province/schools/${enc(schoolId)}/board`),
  schools: () => request<ProvinceSchoolList>('GET', '/api/province/schools'),
  communes: () => request<{ province: ProvinceRef; communes: string[] }>('GET', '/api/province/communes'),
  createSchool: (input: CreateSchoolInput) => request<{ schoolId: string }>('POST', '/api/province/schools', input),
  createAdmin: (schoolId: string, input: { username: string; displayName: string; email?: string }) => request<ProvinceAdminCreated>('POST', `/api/province/schools/${enc(schoolId)}/admins`, input),
  setAdminDisabled: (userId: string, disabled: boolean) => request<void>('POST', `/api/province/admins/${enc(userId)}/disable`, { disabled }),
};
