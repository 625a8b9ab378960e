/**
 * The database schema (drizzle). Two kinds of table:
 * - deployment-wide: users, sessions, role grants, schools, the audit chain heads —
 *   read and written only by the auth and administration services in system scope;
 * - school-owned: every row carries `school_id`, and row-level security (see
 *   migrations/0001_security.sql and db/scope.ts) makes a query in one school's scope
 *   unable to see or write another school's rows. SCHOOL_OWNED_TABLES lists them; a test
 *   checks that every table with a school_id column is in it and has its policy.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  customType,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const customBytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const schoolId = () => uuid('school_id').notNull().references(() => schools.id);

export const appMeta = pgTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const schools = pgTable('schools', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  province: text('province').notNull(),
  commune: text('commune'),
  address: text('address'),
  /** Roles for which the school requires a TOTP second factor. */
  totpRequiredRoles: text('totp_required_roles').array().notNull().default(sql`'{}'::text[]`),
  isDemo: boolean('is_demo').notNull().default(false),
  /** Set on a practice school (issue 13.3): the real school whose staff rehearse in it. */
  practiceOfSchoolId: uuid('practice_of_school_id').references((): AnyPgColumn => schools.id),
  /** A practice school replaced by a reset: nobody has roles in it any more (its audit stays). */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  /** Identity fields every student must have before the record can be signed (data, per school). */
  mandatoryStudentFields: text('mandatory_student_fields')
    .array()
    .notNull()
    .default(sql`'{fullName,gender,birthDate,birthPlace,ethnicityCode,nationality,personalId,studentCode,address}'::text[]`),
  createdAt: createdAt(),
}, (t) => [
  // One live practice school per real school; retired ones keep their rows (audit is append-only).
  uniqueIndex('schools_one_live_practice').on(t.practiceOfSchoolId).where(sql`${t.retiredAt} is null`),
  check('schools_practice_is_demo', sql`${t.practiceOfSchoolId} is null or ${t.isDemo}`),
]);

export const users = pgTable('users', {
  id: id(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  email: text('email'),
  passwordHash: text('password_hash').notNull(),
  locale: text('locale').notNull().default('vi'),
  totpSecret: text('totp_secret'),
  totpPendingSecret: text('totp_pending_secret'),
  totpEnabled: boolean('totp_enabled').notNull().default(false),
  /** Last accepted TOTP time step, so a code cannot be replayed. */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
});

export const roleGrants = pgTable(
  'role_grants',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id),
    /** Null only for the school-less roles: system_admin and province_officer. */
    schoolId: uuid('school_id').references(() => schools.id),
    role: text('role').notNull(),
    /** For student / parent grants: whose record. */
    studentId: uuid('student_id'),
    /** For province_officer only: the province (2-digit code since 1 July 2025, e.g. '38' Thanh Hóa) they oversee. */
    provinceCode: text('province_code'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('role_grants_unique').on(t.userId, t.schoolId, t.role, t.studentId).nullsNotDistinct(),
    index('role_grants_school').on(t.schoolId),
    check('role_grants_school_needed', sql`(${t.role} in ('system_admin', 'province_officer')) = (${t.schoolId} is null)`),
    check('role_grants_province_needed', sql`(${t.role} = 'province_officer') = (${t.provinceCode} is not null)`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table does not hand out live sessions. */
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    activeSchoolId: uuid('active_school_id').references(() => schools.id),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const schoolYears = pgTable(
  'school_years',
  {
    id: id(),
    schoolId: schoolId(),
    name: text('name').notNull(), // '2025-2026'
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    /** The grade book locks at these moments (hạn chốt điểm) for each semester. */
    semester1LockAt: timestamp('semester1_lock_at', { withTimezone: true, mode: 'date' }),
    semester2LockAt: timestamp('semester2_lock_at', { withTimezone: true, mode: 'date' }),
    /** First day of semester II: attendance before it counts in semester I. */
    semester2StartsOn: date('semester2_starts_on'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('school_years_name').on(t.schoolId, t.name)],
);

export const staff = pgTable(
  'staff',
  {
    id: id(),
    schoolId: schoolId(),
    userId: uuid('user_id').references(() => users.id),
    fullName: text('full_name').notNull(),
    gender: text('gender'),
    birthDate: date('birth_date'),
    department: text('department'), // tổ chuyên môn
    position: text('position'), // chức vụ
    email: text('email'),
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [index('staff_school').on(t.schoolId), uniqueIndex('staff_user').on(t.schoolId, t.userId)],
);

export const subjects = pgTable(
  'subjects',
  {
    id: id(),
    schoolId: schoolId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind').notNull(), // compulsory | elective
    assessment: text('assessment').notNull(), // score | comment
    periodsPerYear: smallint('periods_per_year').notNull(),
    ministryCode: text('ministry_code'),
    sortOrder: smallint('sort_order').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('subjects_code').on(t.schoolId, t.code)],
);

export const classes = pgTable(
  'classes',
  {
    id: id(),
    schoolId: schoolId(),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    name: text('name').notNull(),
    grade: smallint('grade').notNull(),
    electiveCombination: text('elective_combination'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('classes_name').on(t.schoolYearId, t.name),
    index('classes_school').on(t.schoolId),
    check('classes_grade', sql`${t.grade} between 10 and 12`),
  ],
);

export const classSubjects = pgTable(
  'class_subjects',
  {
    id: id(),
    schoolId: schoolId(),
    classId: uuid('class_id').notNull().references(() => classes.id),
    subjectId: uuid('subject_id').notNull().references(() => subjects.id),
    /** Teaching assignment (phân công giảng dạy). */
    teacherStaffId: uuid('teacher_staff_id').references(() => staff.id),
    topicCluster: boolean('topic_cluster').notNull().default(false), // cụm chuyên đề
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('class_subjects_unique').on(t.classId, t.subjectId), index('class_subjects_teacher').on(t.teacherStaffId)],
);

export const homeroomAssignments = pgTable(
  'homeroom_assignments',
  {
    id: id(),
    schoolId: schoolId(),
    classId: uuid('class_id').notNull().references(() => classes.id),
    staffId: uuid('staff_id').notNull().references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('homeroom_class').on(t.classId), index('homeroom_staff').on(t.staffId)],
);

export const students = pgTable(
  'students',
  {
    id: id(),
    schoolId: schoolId(),
    studentCode: text('student_code'), // mã học sinh (10 digits)
    personalId: text('personal_id'), // số định danh cá nhân (12 digits)
    fullName: text('full_name').notNull(),
    gender: text('gender').notNull(),
    birthDate: date('birth_date').notNull(),
    birthPlace: text('birth_place'),
    ethnicityCode: text('ethnicity_code'),
    nationality: text('nationality').notNull().default('Việt Nam'),
    address: text('address'),
    phone: text('phone'),
    fatherName: text('father_name'),
    fatherOccupation: text('father_occupation'),
    motherName: text('mother_name'),
    motherOccupation: text('mother_occupation'),
    policyStatus: text('policy_status'),
    hometown: text('hometown'), // quê quán
    guardianName: text('guardian_name'),
    guardianOccupation: text('guardian_occupation'),
    createdAt: createdAt(),
  },
  (t) => [
    index('students_school').on(t.schoolId),
    uniqueIndex('students_code').on(t.schoolId, t.studentCode),
    uniqueIndex('students_personal_id').on(t.schoolId, t.personalId),
  ],
);

export const enrolments = pgTable(
  'enrolments',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    classId: uuid('class_id').notNull().references(() => classes.id),
    enrolledOn: date('enrolled_on'),
    leftOn: date('left_on'),
    /** active | moved (to another class) | transferred_out | dropped_out | graduated */
    status: text('status').notNull().default('active'),
    /** How the student came: new (tuyển mới), transfer_in (chuyển đến), moved (from another class). */
    joinedAs: text('joined_as').notNull().default('new'),
    /** Where from / where to, and why (e.g. the receiving school, the decision number). */
    note: text('note'),
    createdAt: createdAt(),
  },
  // One active class per student and year; ended enrolments stay as the class history.
  (t) => [uniqueIndex('enrolments_active').on(t.studentId, t.schoolYearId).where(sql`${t.status} = 'active'`), index('enrolments_class').on(t.classId)],
);

/**
 * Append-only, hash-chained audit log. One chain per school (`school:<id>`) plus the
 * `system` chain for deployment-wide events; `seq` counts from 1 within a chain and each
 * row stores the hash of the previous one. Triggers refuse UPDATE and DELETE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    at: timestamp('at', { withTimezone: true, mode: 'string', precision: 3 }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_chain_seq').on(t.chain, t.seq), index('audit_school').on(t.schoolId)],
);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One class-subject's grade sheet for a semester (bảng điểm). */
export const gradeSheets = pgTable(
  'grade_sheets',
  {
    id: id(),
    schoolId: schoolId(),
    classSubjectId: uuid('class_subject_id').notNull().references(() => classSubjects.id),
    semester: smallint('semester').notNull(),
    status: text('status').notNull().default('open'), // open | submitted
    submittedAt: at('submitted_at'),
    submittedBy: uuid('submitted_by'),
    /** Reopened by an approved unlock request: editable even after the deadline. */
    reopened: boolean('reopened').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('grade_sheets_unique').on(t.classSubjectId, t.semester), check('grade_sheets_semester', sql`${t.semester} in (1, 2)`)],
);

/** One cell of a grade sheet: a regular (index 0…), mid-term or end-of-term mark, or the comment. */
export const gradeEntries = pgTable(
  'grade_entries',
  {
    id: id(),
    schoolId: schoolId(),
    sheetId: uuid('sheet_id').notNull().references(() => gradeSheets.id),
    studentId: uuid('student_id').notNull().references(() => students.id),
    field: text('field').notNull(), // regular | midterm | final | comment
    idx: smallint('idx').notNull().default(0),
    /** Canonical value: "8.5", "D"/"CD", or the comment text. */
    value: text('value').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [uniqueIndex('grade_entries_cell').on(t.sheetId, t.studentId, t.field, t.idx)],
);

/** What happened to a sheet, for its history view (also in the audit log). */
export const gradeEvents = pgTable(
  'grade_events',
  {
    id: id(),
    schoolId: schoolId(),
    sheetId: uuid('sheet_id').notNull().references(() => gradeSheets.id),
    at: at('at').notNull().defaultNow(),
    byUserId: uuid('by_user_id'),
    byLabel: text('by_label').notNull(),
    action: text('action').notNull(),
    reason: text('reason'),
    approvedByLabel: text('approved_by_label'),
    changes: jsonb('changes').notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [index('grade_events_sheet').on(t.sheetId, t.at)],
);

/** Uploaded files (scanned letters), content-addressed per school. */
export const files = pgTable(
  'files',
  {
    id: id(),
    schoolId: schoolId(),
    sha256: text('sha256').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    content: customBytea('content').notNull(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
  },
  // Deduplicated per uploader: the same bytes from two people are two files (names and access differ).
  (t) => [uniqueIndex('files_sha_uploader').on(t.schoolId, t.sha256, t.uploadedBy)],
);

/** A request to change locked values or reopen a locked sheet; the principal decides. */
export const changeRequests = pgTable(
  'change_requests',
  {
    id: id(),
    schoolId: schoolId(),
    sheetId: uuid('sheet_id').notNull().references(() => gradeSheets.id),
    kind: text('kind').notNull(), // values | unlock
    reason: text('reason').notNull(),
    /** [{ studentId, field, index, old, new }] — old as stored when the request was made. */
    cells: jsonb('cells').notNull().default(sql`'[]'::jsonb`),
    attachmentId: uuid('attachment_id').references(() => files.id),
    status: text('status').notNull().default('pending'),
    requestedBy: uuid('requested_by').notNull(),
    requestedByLabel: text('requested_by_label').notNull(),
    requestedAt: at('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by'),
    decidedByLabel: text('decided_by_label'),
    decidedAt: at('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [index('change_requests_status').on(t.schoolId, t.status)],
);

/** Cross-check between departments (kiểm tra chéo). */
export const crossChecks = pgTable(
  'cross_checks',
  {
    id: id(),
    schoolId: schoolId(),
    classSubjectId: uuid('class_subject_id').notNull().references(() => classSubjects.id),
    semester: smallint('semester').notNull(),
    reviewerStaffId: uuid('reviewer_staff_id').notNull().references(() => staff.id),
    status: text('status').notNull().default('assigned'), // assigned | checked | issue_found | answered
    note: text('note'),
    answer: text('answer'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cross_checks_unique').on(t.classSubjectId, t.semester)],
);

/** The homeroom teacher's semester record of a student: conduct and absences. */
export const studentSemesters = pgTable(
  'student_semesters',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    semester: smallint('semester').notNull(),
    conduct: text('conduct'), // tot | kha | dat | chua_dat (kết quả rèn luyện)
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('student_semesters_unique').on(t.studentId, t.schoolYearId, t.semester)],
);

/** The homeroom teacher's year comment on a student (nhận xét của GVCN). */
export const studentYearNotes = pgTable(
  'student_year_notes',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    comment: text('comment'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('student_year_notes_unique').on(t.studentId, t.schoolYearId)],
);

/** The homeroom teacher's daily attendance register: one row per absent session (buổi). */
export const attendance = pgTable(
  'attendance',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    on: date('on').notNull(),
    session: smallint('session').notNull(), // 1 buổi sáng | 2 buổi chiều
    excused: boolean('excused').notNull(), // có phép | không phép
    recordedBy: uuid('recorded_by'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('attendance_unique').on(t.studentId, t.on, t.session), index('attendance_year').on(t.schoolYearId, t.on), check('attendance_session', sql`${t.session} in (1, 2)`)],
);

/** A student's exemption from a subject or from its practical part (miễn học), decided by the school. */
export const exemptions = pgTable(
  'exemptions',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    classSubjectId: uuid('class_subject_id').notNull().references(() => classSubjects.id),
    kind: text('kind').notNull(), // whole_subject | practical_part
    semesters: smallint('semesters').array().notNull().default(sql`'{1,2}'::smallint[]`),
    reason: text('reason').notNull(),
    decidedByLabel: text('decided_by_label').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('exemptions_unique').on(t.studentId, t.classSubjectId)],
);

/** An uploaded student list waiting for the person to review its preview and commit it. */
export const studentImports = pgTable('student_imports', {
  id: id(),
  schoolId: schoolId(),
  classId: uuid('class_id').notNull().references(() => classes.id),
  fileName: text('file_name').notNull(),
  format: text('format').notNull(),
  encoding: text('encoding').notNull(),
  legacyFont: text('legacy_font'),
  layout: text('layout').notNull(),
  headerRow: integer('header_row').notNull(),
  headers: jsonb('headers').notNull(),
  /** The data rows as read ({ row: 1-based file row, cells }). */
  rows: jsonb('rows').notNull(),
  mapping: jsonb('mapping').notNull(),
  status: text('status').notNull().default('preview'),
  result: jsonb('result'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  committedAt: at('committed_at'),
});

/** The column mapping a school chose for a header row it uses, remembered for the next file. */
export const importMappings = pgTable(
  'import_mappings',
  {
    id: id(),
    schoolId: schoolId(),
    signature: text('signature').notNull(),
    mapping: jsonb('mapping').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_mappings_signature').on(t.schoolId, t.signature)],
);

/** A reference extract (sector database export, VNeID / population data) to reconcile against. */
export const referenceExtracts = pgTable(
  'reference_extracts',
  {
    id: id(),
    schoolId: schoolId(),
    source: text('source').notNull(), // csdl_nganh | vneid
    fileName: text('file_name').notNull(),
    /** Normalised records: [{ row, values: { field: value } }]. */
    records: jsonb('records').notNull(),
    loadedBy: text('loaded_by').notNull(),
    loadedAt: at('loaded_at').notNull().defaultNow(),
  },
  (t) => [index('reference_extracts_source').on(t.schoolId, t.source, t.loadedAt)],
);

/** How a difference between the school's value and a reference source was resolved (audited). */
export const reconciliationResolutions = pgTable(
  'reconciliation_resolutions',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    field: text('field').notNull(),
    take: text('take').notNull(), // school | csdl_nganh | vneid | manual
    value: text('value'),
    reason: text('reason'),
    /** The values the sources had when it was resolved: a new extract that differs again reopens it. */
    sourceValues: jsonb('source_values').notNull(),
    byLabel: text('by_label').notNull(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('reconciliation_student').on(t.studentId, t.field, t.at)],
);

/**
 * A student's record for a school year, version by version (DESIGN.md: the record and its
 * lifecycle). A version holds the frozen snapshot, its canonical XML and the XML's digest;
 * signatures and the PDF come with the signing issues. Never deleted: a correction adds a
 * version that supersedes the previous one.
 */
export const recordVersions = pgTable(
  'record_versions',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    version: integer('version').notNull(),
    state: text('state').notNull().default('frozen'),
    formatId: text('format_id').notNull(),
    formatVersion: text('format_version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    xml: text('xml').notNull(),
    /** sha256 (hex) of the canonical XML bytes. */
    digest: text('digest').notNull(),
    frozenAt: at('frozen_at').notNull(),
    frozenBy: text('frozen_by').notNull(),
    supersedesId: uuid('supersedes_id'),
  },
  (t) => [uniqueIndex('record_versions_unique').on(t.studentId, t.schoolYearId, t.version), index('record_versions_year').on(t.schoolYearId, t.state)],
);

/**
 * The administrative units since 1 July 2025 (province → commune), loaded by the operator
 * from the official list (`hocba admin-units load`): deployment-wide reference data.
 */
export const adminUnits = pgTable(
  'admin_units',
  {
    id: id(),
    provinceCode: text('province_code').notNull(),
    provinceName: text('province_name').notNull(),
    communeCode: text('commune_code'),
    communeName: text('commune_name').notNull(),
    loadedAt: at('loaded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('admin_units_commune').on(t.provinceCode, t.communeName)],
);

/**
 * Images stamped on the record PDF's signature blocks (Decree 30/2020): a staff member's
 * own signature (kind 'signature', one per user per school) and the school's red seal
 * (kind 'seal', one per school). Validated PNG bytes; replaced in place, changes audited.
 */
export const signatureImages = pgTable(
  'signature_images',
  {
    id: id(),
    schoolId: schoolId(),
    kind: text('kind').notNull(),
    userId: uuid('user_id').references(() => users.id),
    png: customBytea('png').notNull(),
    /** sha256 (hex) of the PNG bytes. */
    sha256: text('sha256').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    uploadedAt: at('uploaded_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('signature_images_user').on(t.schoolId, t.userId).where(sql`kind = 'signature'`),
    uniqueIndex('signature_images_seal').on(t.schoolId).where(sql`kind = 'seal'`),
    check('signature_images_kind', sql`(${t.kind} = 'signature' and ${t.userId} is not null) or (${t.kind} = 'seal' and ${t.userId} is null)`),
  ],
);

/**
 * A bulk export of record versions (PDF + XML of each student's latest version) as one ZIP,
 * built by a background job. The ZIP is kept in the database in chunks (record_export_chunks)
 * rather than under DATA_DIR: it then works the same on PGlite and on a PostgreSQL server
 * shared by several instances, and row-level security guards it. Chunks go at expires_at.
 */
export const recordExports = pgTable(
  'record_exports',
  {
    id: id(),
    schoolId: schoolId(),
    requestedBy: uuid('requested_by').notNull().references(() => users.id),
    requestedByLabel: text('requested_by_label').notNull(),
    /** 'class' (one class) or 'school' (every class of the school year). */
    scope: text('scope').notNull(),
    classId: uuid('class_id').references(() => classes.id),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    /** queued → running → done | failed; done → expired when the ZIP is purged. */
    status: text('status').notNull().default('queued'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    /** Students with a PDF in the ZIP / listed as missing in the manifest. */
    fileCount: integer('file_count').notNull().default(0),
    missingCount: integer('missing_count').notNull().default(0),
    error: text('error'),
    fileName: text('file_name').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** sha256 (hex) of the whole ZIP. */
    sha256: text('sha256'),
    jobId: text('job_id'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    /** Touched at every step of a running export: a stale one was left by a stopped worker. */
    heartbeatAt: at('heartbeat_at'),
    finishedAt: at('finished_at'),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    index('record_exports_school').on(t.schoolId, t.createdAt),
    index('record_exports_status').on(t.status),
    check('record_exports_scope', sql`(${t.scope} = 'class' and ${t.classId} is not null) or (${t.scope} = 'school' and ${t.classId} is null)`),
    check('record_exports_status_check', sql`${t.status} in ('queued', 'running', 'done', 'failed', 'expired')`),
  ],
);

/** The bytes of an export's ZIP, in order (each up to EXPORT_CHUNK_BYTES). */
export const recordExportChunks = pgTable(
  'record_export_chunks',
  {
    exportId: uuid('export_id').notNull().references(() => recordExports.id, { onDelete: 'cascade' }),
    schoolId: schoolId(),
    seq: integer('seq').notNull(),
    bytes: customBytea('bytes').notNull(),
  },
  (t) => [uniqueIndex('record_export_chunks_pk').on(t.exportId, t.seq)],
);

/**
 * X.509 signing certificates registered for a school's staff (user_id set) or for the
 * school seal (user_id null). At most one 'active' certificate per person / per seal:
 * registering a new one marks the earlier one 'replaced' (kept, because signatures made
 * with it still name it). key_ref says where a server-held key lives (a file under the
 * data dir, or a remote CSC credential) — never the key itself.
 */
export const signingCertificates = pgTable(
  'signing_certificates',
  {
    id: id(),
    schoolId: schoolId(),
    userId: uuid('user_id').references(() => users.id),
    /** DER bytes of the certificate. */
    certificate: customBytea('certificate').notNull(),
    /** Intermediate certificates (base64 DER), issuing CA first; root not included. */
    chain: jsonb('chain').notNull().$type<string[]>().default([]),
    /** sha256 (hex, lower case) of the DER certificate. */
    fingerprint: text('fingerprint').notNull(),
    subject: text('subject').notNull(),
    commonName: text('common_name').notNull(),
    issuer: text('issuer').notNull(),
    serialNumber: text('serial_number').notNull(),
    notBefore: at('not_before').notNull(),
    notAfter: at('not_after').notNull(),
    /** upload | agent | csc | demo | server_key */
    source: text('source').notNull(),
    keyRef: jsonb('key_ref').$type<Record<string, string> | null>(),
    /** active | replaced | revoked */
    status: text('status').notNull().default('active'),
    /** 'good' when OCSP/CRL said so at registration, 'unknown' when it could not be checked. */
    revocationAtRegistration: text('revocation_at_registration').notNull(),
    registeredBy: text('registered_by').notNull(),
    registeredAt: at('registered_at').notNull().defaultNow(),
    replacedAt: at('replaced_at'),
  },
  (t) => [
    uniqueIndex('signing_certificates_active_user').on(t.schoolId, t.userId).where(sql`status = 'active' and user_id is not null`),
    uniqueIndex('signing_certificates_active_seal').on(t.schoolId).where(sql`status = 'active' and user_id is null`),
    index('signing_certificates_fingerprint').on(t.fingerprint),
    check('signing_certificates_source', sql`${t.source} in ('upload', 'agent', 'csc', 'demo', 'server_key')`),
    check('signing_certificates_status', sql`${t.status} in ('active', 'replaced', 'revoked')`),
  ],
);

/**
 * A principal's delegation of the approval signature to a vice principal ("KT. Hiệu
 * trưởng – Phó Hiệu trưởng"): decision number, grades (empty = all), inclusive validity
 * dates in Vietnam time. Never deleted: revoking sets revoked_at, and signatures made
 * under it keep naming it.
 */
export const delegations = pgTable(
  'delegations',
  {
    id: id(),
    schoolId: schoolId(),
    principalUserId: uuid('principal_user_id').notNull().references(() => users.id),
    delegateUserId: uuid('delegate_user_id').notNull().references(() => users.id),
    decisionNumber: text('decision_number').notNull(),
    grades: jsonb('grades').notNull().$type<number[]>().default([]),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('delegations_delegate').on(t.schoolId, t.delegateUserId)],
);

/**
 * One signature added to a record version, in order (seq 1, 2, …). Append-only: the row
 * stores the document after this signature as a splice of the previous one (delta_*), so the
 * current document of a version is the frozen XML with every splice applied in seq order
 * (services/records/document-store.ts rebuilds and re-hashes it). The unique constraints make two
 * concurrent completions of the same signature exactly-one-wins.
 */
export const recordSignatures = pgTable(
  'record_signatures',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    seq: integer('seq').notNull(),
    /** subject | homeroom | principal | seal */
    step: text('step').notNull(),
    /** The ds:Signature Id in the document (sig-subject-TOAN, sig-homeroom, …). */
    signatureId: text('signature_id').notNull(),
    /** Null for the school seal. */
    signerUserId: uuid('signer_user_id').references(() => users.id),
    claimedRole: text('claimed_role').notNull(),
    subjects: jsonb('subjects').notNull().$type<string[]>().default([]),
    certificateId: uuid('certificate_id').notNull().references(() => signingCertificates.id),
    delegationId: uuid('delegation_id').references(() => delegations.id),
    batchId: uuid('batch_id'),
    signedAt: at('signed_at').notNull(),
    /**
     * The document after this signature, stored as a splice of the previous one (seq - 1,
     * else the frozen XML), offsets in UTF-8 bytes on character boundaries:
     * prev[0, deltaAt) + delta + prev[deltaAt + deltaRemoved, …). Text, not bytea: the
     * inserted ds:Signature is whole characters, and text reads far faster on PGlite.
     * Rebuilt and re-hashed by services/records/document-store.ts.
     */
    deltaAt: integer('delta_at').notNull(),
    deltaRemoved: integer('delta_removed').notNull(),
    delta: text('delta').notNull(),
    /** sha256 (hex) of the document after this signature (UTF-8). */
    xmlSha256: text('xml_sha256').notNull(),
  },
  (t) => [
    uniqueIndex('record_signatures_seq').on(t.versionId, t.seq),
    uniqueIndex('record_signatures_sig').on(t.versionId, t.signatureId),
    check('record_signatures_step', sql`${t.step} in ('subject', 'homeroom', 'principal', 'seal')`),
  ],
);

/**
 * A batch of signatures one person prepared in one go ("ký hàng loạt"): the digests are
 * shown/sent to their key, the values come back (possibly in several calls), and each item
 * completes in its own transaction. Belongs to its creator only; expires after a few hours.
 */
export const signingBatches = pgTable(
  'signing_batches',
  {
    id: id(),
    schoolId: schoolId(),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    step: text('step').notNull(),
    /** What was asked for: { versionIds } | { classId } | { grade } | { school: true }. */
    target: jsonb('target').notNull(),
    certificateId: uuid('certificate_id').notNull().references(() => signingCertificates.id),
    algorithm: text('algorithm').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('signing_batches_creator').on(t.schoolId, t.createdBy, t.createdAt)],
);

/** One record version of a batch: its prepared signature (or why it was refused) and its outcome. */
export const signingBatchItems = pgTable(
  'signing_batch_items',
  {
    id: id(),
    schoolId: schoolId(),
    batchId: uuid('batch_id').notNull().references(() => signingBatches.id, { onDelete: 'cascade' }),
    /** Order in the batch (class, then register order). */
    position: integer('position').notNull(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    signatureId: text('signature_id'),
    subjects: jsonb('subjects').notNull().$type<string[]>().default([]),
    /** Student, class and subject names for the list the person approves. */
    label: jsonb('label').notNull(),
    /** The XAdES prepared state without its document copy (rebuilt from base_seq at complete). */
    prepared: jsonb('prepared'),
    /** base64 digest to sign; null for a refused item. */
    digest: text('digest'),
    /** The seq of the record_signatures row the signature was prepared on (0: the frozen XML). */
    baseSeq: integer('base_seq').notNull().default(0),
    delegationId: uuid('delegation_id').references(() => delegations.id),
    /** pending | signed | failed | refused */
    status: text('status').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Parameters of the error code's vi/en message. */
    errorParams: jsonb('error_params').$type<Record<string, string | number>>(),
    recordSignatureId: uuid('record_signature_id').references(() => recordSignatures.id),
    /**
     * The request signing this item now (server key / remote CSC): concurrent requests, on
     * any server instance, claim disjoint items; a claim whose lease ran out (its instance
     * died) may be taken again. Never decides correctness: completion re-checks under a lock.
     */
    claimToken: uuid('claim_token'),
    claimedUntil: at('claimed_until'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('signing_batch_items_position').on(t.batchId, t.position),
    index('signing_batch_items_version').on(t.versionId),
    check('signing_batch_items_status', sql`${t.status} in ('pending', 'signed', 'failed', 'refused')`),
  ],
);

/** The sealed PDF/A-3 of a record version (PAdES B-LT, signed XML embedded), by digest (document_blobs). Written once. */
export const recordPdfs = pgTable(
  'record_pdfs',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    /** sha256 (hex) of the PDF bytes: the PDF is the document_blobs row (school_id, sha256). */
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('record_pdfs_version').on(t.versionId)],
);

/** Tables whose rows belong to one school and are guarded by row-level security. */
export const SCHOOL_OWNED_TABLES = [
  'school_years',
  'staff',
  'subjects',
  'classes',
  'class_subjects',
  'homeroom_assignments',
  'students',
  'enrolments',
  'grade_sheets',
  'grade_entries',
  'grade_events',
  'files',
  'change_requests',
  'cross_checks',
  'student_semesters',
  'student_year_notes',
  'attendance',
  'exemptions',
  'student_imports',
  'import_mappings',
  'reference_extracts',
  'reconciliation_resolutions',
  'record_versions',
  'signature_images',
  'record_exports',
  'record_export_chunks',
  'signing_certificates',
  'delegations',
  'record_signatures',
  'signing_batches',
  'signing_batch_items',
  'record_pdfs',
  'record_returns',
  'record_corrections',
  'share_links',
  'issued_copies',
  'transfers_out',
  'transfers_in',
  'external_records',
  'record_revocations',
  'sync_settings',
  'sync_runs',
  'sync_items',
  'plan_stages',
  'plan_settings',
  'plan_progress_snapshots',
  'plan_daily_runs',
  'notifications',
  'document_blobs',
] as const;

// ── transfer ──
/**
 * A transfer package a school exported for a student leaving for another school (chuyển
 * trường, sending side): the ZIP (sealed records + signed manifest, docs/transfer.md), kept
 * whole because packages are small (a few sealed PDFs) and must be re-downloadable until the
 * receiving school acknowledges; then the receiving school's signed acknowledgment.
 */
export const transfersOut = pgTable(
  'transfers_out',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    destination: text('destination').notNull(),
    reason: text('reason').notNull(),
    fileName: text('file_name').notNull(),
    package: customBytea('package').notNull(),
    /** sha256 (hex) of the whole ZIP: what the acknowledgment names. */
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    recordCount: integer('record_count').notNull(),
    /** exported → acknowledged */
    status: text('status').notNull().default('exported'),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: createdAt(),
    ackXml: text('ack_xml'),
    /** The acknowledgment's verification report (signing/validation ValidationReport). */
    ackReport: jsonb('ack_report'),
    ackReceivingSchool: text('ack_receiving_school'),
    acknowledgedAt: at('acknowledged_at'),
  },
  (t) => [
    index('transfers_out_school').on(t.schoolId, t.createdAt),
    uniqueIndex('transfers_out_sha256').on(t.schoolId, t.sha256),
    check('transfers_out_status', sql`${t.status} in ('exported', 'acknowledged')`),
  ],
);

/**
 * A transfer package imported by the receiving school (chuyển đến): the package as received,
 * its manifest verification report and the signed acknowledgment produced in return.
 * Written once, in the transaction that attaches the records and enrols the student.
 */
export const transfersIn = pgTable(
  'transfers_in',
  {
    id: id(),
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull().references(() => students.id),
    /** The sending school's package id (manifest PackageId). */
    packageId: text('package_id').notNull(),
    packageSha256: text('package_sha256').notNull(),
    package: customBytea('package').notNull(),
    sendingSchoolCode: text('sending_school_code').notNull(),
    sendingSchoolName: text('sending_school_name').notNull(),
    manifestXml: text('manifest_xml').notNull(),
    manifestReport: jsonb('manifest_report').notNull(),
    ackXml: text('ack_xml').notNull(),
    /** matched (existing student by personal id) | created */
    studentMatch: text('student_match').notNull(),
    importedBy: uuid('imported_by').notNull().references(() => users.id),
    importedByLabel: text('imported_by_label').notNull(),
    importedAt: at('imported_at').notNull(),
  },
  (t) => [index('transfers_in_student').on(t.studentId), uniqueIndex('transfers_in_sha256').on(t.schoolId, t.packageSha256)],
);

/**
 * A sealed record from another school, attached read-only to a student's history by a
 * transfer import: the PDF and signed XML exactly as received, what they say (snapshot read
 * back from the XML), and the verification reports made at import. Never changed or removed.
 */
export const externalRecords = pgTable(
  'external_records',
  {
    id: id(),
    schoolId: schoolId(),
    transferId: uuid('transfer_id').notNull().references(() => transfersIn.id),
    studentId: uuid('student_id').notNull().references(() => students.id),
    schoolYear: text('school_year').notNull(),
    version: integer('version').notNull(),
    sourceSchoolCode: text('source_school_code').notNull(),
    sourceSchoolName: text('source_school_name').notNull(),
    pdf: customBytea('pdf').notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    xml: text('xml').notNull(),
    xmlSha256: text('xml_sha256').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    /** { pdf: ValidationReport, xml: ValidationReport } as verified at import. */
    report: jsonb('report').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('external_records_student').on(t.studentId), uniqueIndex('external_records_unique').on(t.transferId, t.schoolYear, t.version)],
);

// ── access ──

/**
 * A link to one sealed record version that anyone holding it may open without signing in,
 * until it expires or is revoked (issue 9 point 4). Only the sha256 of the token is kept, so
 * a leaked table hands out no live links. Revoked, never deleted: the issued-copy log names it.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    studentId: uuid('student_id').notNull().references(() => students.id),
    /** sha256 (hex) of the random token in the URL. */
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose'),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdByLabel: text('created_by_label').notNull(),
    /** The role the creator acted in: student | parent | a staff role. */
    createdByRole: text('created_by_role').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [uniqueIndex('share_links_token').on(t.tokenHash), index('share_links_student').on(t.schoolId, t.studentId)],
);

/**
 * Every copy or extract of a record version issued (cấp bản sao): downloads by the student,
 * parent or staff, share links created and opened, prints by staff — who, as what, when,
 * which version, through which channel and why. Append-only.
 */
export const issuedCopies = pgTable(
  'issued_copies',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    studentId: uuid('student_id').notNull().references(() => students.id),
    /** download_pdf | download_xml | share_link_created | share_link_opened | print */
    channel: text('channel').notNull(),
    /** Null when someone holding a share link opened it (no account). */
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorLabel: text('actor_label').notNull(),
    /** student | parent | a staff role | share_link */
    actorRole: text('actor_role').notNull(),
    purpose: text('purpose'),
    shareLinkId: uuid('share_link_id').references(() => shareLinks.id),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [
    index('issued_copies_school_at').on(t.schoolId, t.at),
    index('issued_copies_version').on(t.versionId),
    check('issued_copies_channel', sql`${t.channel} in ('download_pdf', 'download_xml', 'share_link_created', 'share_link_opened', 'print')`),
  ],
);

// ── corrections ──

/**
 * Why a signer returned a record version (issue 7 point 6): the reason, who and when, shown
 * to the teachers concerned. A version is returned at most once ('returned' is final for
 * that version); append-only.
 */
export const recordReturns = pgTable(
  'record_returns',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    /** The state the version was in when it was returned. */
    fromState: text('from_state').notNull(),
    reason: text('reason').notNull(),
    returnedBy: uuid('returned_by').notNull().references(() => users.id),
    returnedByLabel: text('returned_by_label').notNull(),
    returnedAt: at('returned_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('record_returns_version').on(t.versionId)],
);

/**
 * A change request on a returned or sealed record version (issue 8 point 5): raised by the
 * homeroom teacher (or a subject teacher for their rows), decided by the principal. On
 * approval the locked sheets of the named subjects reopen; the homeroom teacher's next
 * freeze makes version N+1 (supersedes_id = this version), recorded in new_version_id.
 * pending → approved | rejected; approved → refrozen.
 */
export const recordCorrections = pgTable(
  'record_corrections',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    studentId: uuid('student_id').notNull().references(() => students.id),
    /** subject_rows | year_summary | identity */
    scope: text('scope').notNull(),
    /** Subject codes whose rows change (scope subject_rows). */
    subjects: jsonb('subjects').notNull().$type<string[]>().default([]),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('pending'),
    requestedBy: uuid('requested_by').notNull().references(() => users.id),
    requestedByLabel: text('requested_by_label').notNull(),
    requestedAt: at('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedByLabel: text('decided_by_label'),
    decidedAt: at('decided_at'),
    decisionNote: text('decision_note'),
    /** Submitted grade sheets the approval reopened: each must be submitted again before the re-freeze. */
    reopenedSheetIds: jsonb('reopened_sheet_ids').notNull().$type<string[]>().default([]),
    newVersionId: uuid('new_version_id').references(() => recordVersions.id),
  },
  (t) => [
    uniqueIndex('record_corrections_open').on(t.versionId).where(sql`status in ('pending', 'approved')`),
    index('record_corrections_status').on(t.schoolId, t.status),
    check('record_corrections_scope', sql`${t.scope} in ('subject_rows', 'year_summary', 'identity')`),
    check('record_corrections_status', sql`${t.status} in ('pending', 'approved', 'rejected', 'refrozen')`),
  ],
);

// ── verification ──
/**
 * A sealed record version revoked by the principal (thu hồi học bạ), with the reason: shown in
 * the school's signed status list and in every verification report. Append-only (one row per
 * version, never updated or deleted).
 */
export const recordRevocations = pgTable(
  'record_revocations',
  {
    id: id(),
    schoolId: schoolId(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    reason: text('reason').notNull(),
    revokedAt: at('revoked_at').notNull(),
    revokedBy: uuid('revoked_by').notNull().references(() => users.id),
    /** "Full Name (username)" as the audit log names the person. */
    revokedByLabel: text('revoked_by_label').notNull(),
  },
  (t) => [uniqueIndex('record_revocations_version').on(t.versionId)],
);

// ── sync ──

/**
 * Where a school sends its records (docs/sync.md): the national HBS database ('hbs') and the
 * VNeID sharing endpoint ('vneid'). The client secret is kept here so a province can host many
 * schools with their own credentials; it is never logged nor returned to the browser.
 */
export const syncSettings = pgTable(
  'sync_settings',
  {
    id: id(),
    schoolId: schoolId(),
    /** hbs | vneid */
    target: text('target').notNull(),
    baseUrl: text('base_url').notNull(),
    clientId: text('client_id').notNull().default(''),
    clientSecret: text('client_secret').notNull().default(''),
    enabled: boolean('enabled').notNull().default(true),
    updatedBy: text('updated_by').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sync_settings_target').on(t.schoolId, t.target), check('sync_settings_target_check', sql`${t.target} in ('hbs', 'vneid')`)],
);

/**
 * One sync run of a school to a target, done by the 'sync.run' job: progress, outcome counts,
 * and why it failed. At most one queued or running run per school (unique index): a second
 * request gets the running one back.
 */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: id(),
    schoolId: schoolId(),
    target: text('target').notNull(),
    /** manual | resubmit | retry | cli */
    trigger: text('trigger').notNull(),
    requestedBy: text('requested_by').notNull(),
    /** queued → running → done | failed */
    status: text('status').notNull().default('queued'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    invalid: integer('invalid').notNull().default(0),
    /** Submissions (HTTP batches) made, and retries after timeouts / 5xx. */
    batches: integer('batches').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    jobId: text('job_id'),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    heartbeatAt: at('heartbeat_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('sync_runs_school').on(t.schoolId, t.createdAt),
    uniqueIndex('sync_runs_one_active').on(t.schoolId).where(sql`status in ('queued', 'running')`),
    check('sync_runs_status', sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    check('sync_runs_target', sql`${t.target} in ('hbs', 'vneid')`),
  ],
);

/**
 * The sync state of one record version at one target (docs/sync.md "Exactly once"): the
 * idempotency key, 'sending' written before the call and resolved after it (or by a status
 * query on resume), and the server's answer (code and message of a rejection).
 */
export const syncItems = pgTable(
  'sync_items',
  {
    id: id(),
    schoolId: schoolId(),
    target: text('target').notNull(),
    versionId: uuid('version_id').notNull().references(() => recordVersions.id),
    /** hocba:<school code>:<version id>: the same for every attempt. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** queued | sending | pending | accepted | rejected | invalid */
    status: text('status').notNull().default('queued'),
    /** The server answered 'duplicate' (counted as accepted). */
    duplicate: boolean('duplicate').notNull().default(false),
    code: text('code'),
    message: text('message'),
    receiptId: text('receipt_id'),
    /** The submission (Idempotency-Key of the HTTP batch) the item was last sent in. */
    batchKey: text('batch_key'),
    runId: uuid('run_id').references(() => syncRuns.id),
    attempts: integer('attempts').notNull().default(0),
    xmlSha256: text('xml_sha256'),
    pdfSha256: text('pdf_sha256'),
    sentAt: at('sent_at'),
    resolvedAt: at('resolved_at'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sync_items_version').on(t.target, t.versionId),
    uniqueIndex('sync_items_key').on(t.target, t.idempotencyKey),
    index('sync_items_school').on(t.schoolId, t.target, t.status),
    check('sync_items_status', sql`${t.status} in ('queued', 'sending', 'pending', 'accepted', 'rejected', 'invalid')`),
  ],
);

// ── plan ──
/**
 * The school-year plan (kế hoạch): one dated row per stage, for every grade (grade null) or
 * for one grade that differs (grade 12 signs earlier). Copied from the default template
 * (domain/plan/plan-template.ts) the first time a school year's plan is read; the principal
 * edits it. Its marks deadlines also set school_years.semesterN_lock_at.
 */
export const planStages = pgTable(
  'plan_stages',
  {
    id: id(),
    schoolId: schoolId(),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    stage: text('stage').notNull(),
    grade: smallint('grade'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('plan_stages_unique').on(t.schoolYearId, t.stage, t.grade).nullsNotDistinct(),
    check('plan_stages_grade', sql`${t.grade} is null or ${t.grade} between 10 and 12`),
  ],
);

/**
 * A school's reminder settings: days before a deadline, days overdue before the principal
 * is told, and its own SMTP server (else the SMTP_* environment). The password is write-only
 * through the API (never returned, never logged).
 */
export const planSettings = pgTable('plan_settings', {
  schoolId: uuid('school_id').primaryKey().references(() => schools.id),
  remindDaysBefore: smallint('remind_days_before').notNull().default(3),
  escalateAfterDays: smallint('escalate_after_days').notNull().default(2),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port'),
  smtpSecure: boolean('smtp_secure').notNull().default(false),
  smtpUser: text('smtp_user'),
  smtpPassword: text('smtp_password'),
  smtpFrom: text('smtp_from'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Progress per stage and grade, once a day (the daily job), for the chart against the plan. */
export const planProgressSnapshots = pgTable(
  'plan_progress_snapshots',
  {
    id: id(),
    schoolId: schoolId(),
    schoolYearId: uuid('school_year_id').notNull().references(() => schoolYears.id),
    day: date('day', { mode: 'string' }).notNull(),
    stage: text('stage').notNull(),
    grade: smallint('grade').notNull(),
    done: integer('done').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [uniqueIndex('plan_progress_unique').on(t.schoolYearId, t.day, t.stage, t.grade)],
);

/** The daily plan job has run for a school on a (Vietnam) day: it is not queued again that day. */
export const planDailyRuns = pgTable(
  'plan_daily_runs',
  {
    id: id(),
    schoolId: schoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    ranAt: at('ran_at').notNull().defaultNow(),
    digests: integer('digests').notNull().default(0),
  },
  (t) => [uniqueIndex('plan_daily_runs_unique').on(t.schoolId, t.day)],
);

/**
 * In-app notifications: the daily digest of a person's pending and overdue work (and, for
 * the principal, what others have left overdue). At most one digest per person per day —
 * the unique (user, day) makes the daily job idempotent — and its e-mail copy's outcome.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    schoolId: schoolId(),
    userId: uuid('user_id').notNull().references(() => users.id),
    day: date('day', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    /** [{ kind, label, count, dueOn, status, link }] */
    items: jsonb('items').notNull(),
    /** Overdue work of others (principal): [{ stage, grade, className, who, pending, dueOn, daysOverdue }] */
    escalations: jsonb('escalations').notNull().default(sql`'[]'::jsonb`),
    /** none (no address / no SMTP) | pending | sent | failed */
    emailStatus: text('email_status').notNull().default('none'),
    emailTo: text('email_to'),
    emailError: text('email_error'),
    emailedAt: at('emailed_at'),
    readAt: at('read_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notifications_user_day').on(t.userId, t.day), index('notifications_school_user').on(t.schoolId, t.userId, t.day)],
);

// ── rate limits ──
/**
 * Request counters shared by every server instance on one PostgreSQL (a province runs several
 * behind a load balancer): one row per (route, client) key and window. Deployment-wide, not
 * school-owned; expired rows are swept by the store now and then.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetAt: at('reset_at').notNull(),
  },
  (t) => [index('rate_limit_counters_reset').on(t.resetAt)],
);

// ── in-product help ──
/**
 * One row per person who has finished or dismissed the first-run tour, so the home-page
 * invitation does not come back on another computer. Per user, not per school: not school-owned
 * (like users, it is only read and written in system scope, for the signed-in person).
 */
export const userHelpState = pgTable('user_help_state', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  tourDismissedAt: at('tour_dismissed_at'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

// ── document storage ──
/**
 * Document bytes stored once per school, addressed by their SHA-256 (issue 12.1): rows that
 * hold a document (record_pdfs, …) name the digest. Written once, never changed; read only
 * through services/records/document-store.ts, which re-checks the digest on every read.
 */
export const documentBlobs = pgTable(
  'document_blobs',
  {
    schoolId: schoolId(),
    /** sha256 (hex, lower case) of `bytes`. */
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    bytes: customBytea('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.sha256] }), check('document_blobs_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`)],
);
