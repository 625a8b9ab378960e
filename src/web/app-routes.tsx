/** The signed-in app's routes; each page checks the permission it needs. */
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout.tsx';
import { FamilyAccountsPage } from './access/family-accounts-page.tsx';
import { IssuedCopiesPage } from './access/issued-copies-page.tsx';
import { MyRecordsPage } from './access/my-records-page.tsx';
import { CertificateBoardPage } from './certificates/certificate-board-page.tsx';
import { PlanBoardPage } from './plan/plan-board-page.tsx';
import { PlanPage } from './plan/plan-page.tsx';
import { ErrorResult } from './components/error-result.tsx';
import { RequirePermission } from './components/require-permission.tsx';
import { AccountPage } from './pages/account-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { ChangeRequestsPage } from './pages/change-requests-page.tsx';
import { ClassStudentsPage } from './pages/class-students-page.tsx';
import { ClassesPage } from './pages/classes-page.tsx';
import { CrossChecksPage } from './pages/cross-checks-page.tsx';
import { DataQualityPage } from './pages/data-quality-page.tsx';
import { ReconciliationPage } from './pages/reconciliation-page.tsx';
import { SchoolSettingsPage } from './pages/school-settings-page.tsx';
import { StudentProfilePage } from './pages/student-profile-page.tsx';
import { GradeSheetPage } from './pages/grade-sheet-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { HomeroomPage, HomeroomPickerPage } from './pages/homeroom-page.tsx';
import { MyClassesPage } from './pages/my-classes-page.tsx';
import { StaffPage } from './pages/staff-page.tsx';
import { SubjectsPage } from './pages/subjects-page.tsx';
import { RecordsPage } from './records/records-page.tsx';
import { DelegationsPage } from './signing/delegations-page.tsx';
import { SigningPage } from './signing/signing-page.tsx';
import { TransfersPage } from './transfer/transfers-page.tsx';
import { BackupPage } from './backup/backup-page.tsx';
import { SyncPage } from './sync/sync-page.tsx';
import { PracticePage } from './practice/practice-page.tsx';
import { CorrectionsPage } from './corrections/corrections-page.tsx';
import { ProvinceBoardPage } from './province/province-board-page.tsx';
import { ProvinceSchoolPage } from './province/province-school-page.tsx';
import { ProvinceSchoolsPage } from './province/province-schools-page.tsx';
import { CHANGE_REQUEST_USERS, CROSS_CHECK_USERS, GRADE_SHEET_READERS, HOMEROOM_READERS } from './nav.ts';

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
          path="classes/:classId/reconciliation"
          element={
            <RequirePermission permission="classes.read">
              <ReconciliationPage />
            </RequirePermission>
          }
        />
        <Route
          path="students/:id"
          element={
            <RequirePermission permission="classes.read">
              <StudentProfilePage />
            </RequirePermission>
          }
        />
        <Route
          path="records"
          element={
            <RequirePermission permission="classes.read_all">
              <RecordsPage />
            </RequirePermission>
          }
        />
        <Route
          path="backup"
          element={
            <RequirePermission permission="backup.read">
              <BackupPage />
            </RequirePermission>
          }
        />
        <Route
          path="sync"
          element={
            <RequirePermission permission="sync.read">
              <SyncPage />
            </RequirePermission>
          }
        />
        <Route
          path="practice"
          element={
            <RequirePermission permission="practice.use">
              <PracticePage />
            </RequirePermission>
          }
        />
        <Route
          path="transfers"
          element={
            <RequirePermission permission={['transfers.import', 'transfers.export']}>
              <TransfersPage />
            </RequirePermission>
          }
        />
        <Route
          path="data-quality"
          element={
            <RequirePermission permission="classes.read">
              <DataQualityPage />
            </RequirePermission>
          }
        />
        <Route
          path="school-settings"
          element={
            <RequirePermission permission={['school.configure', 'seal_image.manage']}>
              <SchoolSettingsPage />
            </RequirePermission>
          }
        />
        <Route
          path="my-classes"
          element={
            <RequirePermission permission="grades.enter">
              <MyClassesPage />
            </RequirePermission>
          }
        />
        <Route
          path="grade-sheets/:classSubjectId/:semester"
          element={
            <RequirePermission permission={GRADE_SHEET_READERS}>
              <GradeSheetPage />
            </RequirePermission>
          }
        />
        <Route
          path="change-requests"
          element={
            <RequirePermission permission={CHANGE_REQUEST_USERS}>
              <ChangeRequestsPage />
            </RequirePermission>
          }
        />
        <Route
          path="homeroom"
          element={
            <RequirePermission permission="homeroom.manage">
              <HomeroomPickerPage />
            </RequirePermission>
          }
        />
        <Route
          path="homeroom/:classId"
          element={
            <RequirePermission permission={HOMEROOM_READERS}>
              <HomeroomPage />
            </RequirePermission>
          }
        />
        <Route
          path="cross-checks"
          element={
            <RequirePermission permission={CROSS_CHECK_USERS}>
              <CrossChecksPage />
            </RequirePermission>
          }
        />
        <Route
          path="subjects"
          element={
            <RequirePermission permission="subjects.manage">
              <SubjectsPage />
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
          path="plan"
          element={
            <RequirePermission permission="plan.read">
              <PlanPage />
            </RequirePermission>
          }
        />
        <Route
          path="province/board"
          element={
            <RequirePermission permission="province.board">
              <ProvinceBoardPage />
            </RequirePermission>
          }
        />
        <Route
          path="province/board/:schoolId"
          element={
            <RequirePermission permission="province.board">
              <ProvinceSchoolPage />
            </RequirePermission>
          }
        />
        <Route
          path="province/schools"
          element={
            <RequirePermission permission="province.schools">
              <ProvinceSchoolsPage />
            </RequirePermission>
          }
        />
        <Route
          path="plan/board"
          element={
            <RequirePermission permission="plan.board">
              <PlanBoardPage />
            </RequirePermission>
          }
        />
        <Route
          path="certificates"
          element={
            <RequirePermission permission="certificates.board">
              <CertificateBoardPage />
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
        <Route
          path="corrections"
          element={
            <RequirePermission permission={['records.correct', 'changes.decide']}>
              <CorrectionsPage />
            </RequirePermission>
          }
        />
        <Route
          path="signing"
          element={
            <RequirePermission permission="records.sign">
              <SigningPage />
            </RequirePermission>
          }
        />
        <Route
          path="delegations"
          element={
            <RequirePermission permission="delegations.read">
              <DelegationsPage />
            </RequirePermission>
          }
        />
        <Route
          path="my-records"
          element={
            <RequirePermission permission="own_record.read">
              <MyRecordsPage />
            </RequirePermission>
          }
        />
        <Route
          path="issued-copies"
          element={
            <RequirePermission permission="issued_copies.read">
              <IssuedCopiesPage />
            </RequirePermission>
          }
        />
        <Route
          path="family-accounts"
          element={
            <RequirePermission permission="access.issue_accounts">
              <FamilyAccountsPage />
            </RequirePermission>
          }
        />
        <Route path="account" element={<AccountPage />} />
        <Route path="*" element={<ErrorResult status={404} />} />
      </Route>
    </Routes>
  );
}
