/** The signed-in app's routes; each page checks the permission it needs. */
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout.tsx';
import { ErrorResult } from './components/error-result.tsx';
import { RequirePermission } from './components/require-permission.tsx';
import { AccountPage } from './pages/account-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { ClassStudentsPage } from './pages/class-students-page.tsx';
import { ClassesPage } from './pages/classes-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { StaffPage } from './pages/staff-page.tsx';

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route
          path="classes"
          element={
            <RequirePermission permission="classes.read">
              <ClassesPage />
            </RequirePermission>
          }
        />
        <Route
          path="classes/:classId"
          element={
            <RequirePermission permission="classes.read">
              <ClassStudentsPage />
            </RequirePermission>
          }
        />
        <Route
          path="staff"
          element={
            <RequirePermission permission="staff.read">
              <StaffPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="audit.read">
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route path="account" element={<AccountPage />} />
        <Route path="*" element={<ErrorResult status={404} />} />
      </Route>
    </Routes>
  );
}
