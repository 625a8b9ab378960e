-- Row-level security for the grade-book tables, through one function that later
-- migrations call for every new school-owned table (same policy as 0001_security.sql).
CREATE FUNCTION hocba_guard_school_table(t text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hocba_app', t);
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY school_isolation ON %I FOR ALL TO hocba_app '
                 'USING (school_id = hocba_current_school()) '
                 'WITH CHECK (school_id = hocba_current_school())', t);
END
$$;
--> statement-breakpoint
SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['grade_sheets','grade_entries','grade_events','files',
  'change_requests','cross_checks','student_semesters','student_year_notes']) AS t;
--> statement-breakpoint
-- A teacher's history cannot be rewritten from a school scope either.
REVOKE UPDATE, DELETE ON grade_events FROM hocba_app;
