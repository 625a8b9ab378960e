/** Client for the plan routes (server/routes/plan-routes.ts). */
import type { MyWork, NotificationView, PlanBoard, PlanView, ReminderSettingsInput, ReminderSettingsView } from '../../server/api-types.ts';
import type { PlanRow } from '../../domain/plan/plan-template.ts';
import { request } from '../api.ts';

export const planApi = {
  plan: () => request<PlanView>('GET', '/api/plan'),
  savePlan: (rows: PlanRow[]) => request<PlanView>('PUT', '/api/plan', { rows }),
  myWork: () => request<MyWork>('GET', '/api/my-work'),
  board: () => request<PlanBoard>('GET', '/api/plan/board'),
  boardXlsxUrl: '/api/plan/board.xlsx',
  boardPdfUrl: '/api/plan/board.pdf',
  settings: () => request<ReminderSettingsView>('GET', '/api/plan/settings'),
  saveSettings: (input: ReminderSettingsInput) => request<ReminderSettingsView>('PUT', '/api/plan/settings', input),
  notifications: () => request<{ unread: number; notifications: NotificationView[] }>('GET', '/api/notifications'),
  markRead: (id: string) => request<{ id: string; read: true }>('POST', `/api/notifications/${encodeURIComponent(id)}/read`, {}),
};
