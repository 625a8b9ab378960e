-- Per-school isolation and the append-only audit log.
--
-- Requests that act inside one school run as the role hocba_app with the setting
-- hocba.school_id (db/scope.ts). Row-level security on every school-owned table makes
-- such a query unable to read or write another school's rows, whatever the query says.
-- System-scope work (sign-in, deployment administration, migrations) runs as the owner.

DO $$
BEGIN
  CREATE ROLE hocba_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are cluster-wide: another database of this cluster created it already
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT hocba_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- a superuser may SET ROLE without membership
END
$$;
--> statement-breakpoint
CREATE FUNCTION hocba_current_school() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('hocba.school_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO hocba_app;
--> statement-breakpoint
GRANT SELECT ON schools TO hocba_app;
--> statement-breakpoint
ALTER TABLE schools ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY school_isolation ON schools FOR SELECT TO hocba_app USING (id = hocba_current_school());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['school_years','staff','subjects','classes','class_subjects',
                           'homeroom_assignments','students','enrolments'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hocba_app', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY school_isolation ON %I FOR ALL TO hocba_app '
                   'USING (school_id = hocba_current_school()) '
                   'WITH CHECK (school_id = hocba_current_school())', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The audit log: a school scope may read and append its own chain, never change it.
GRANT SELECT, INSERT ON audit_log TO hocba_app;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY school_isolation ON audit_log FOR ALL TO hocba_app
  USING (school_id = hocba_current_school())
  WITH CHECK (school_id = hocba_current_school() AND chain = 'school:' || hocba_current_school()::text);
--> statement-breakpoint
CREATE FUNCTION hocba_audit_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only (hocba audit.immutable)' USING ERRCODE = 'P0001'; END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION hocba_audit_immutable();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION hocba_audit_immutable();
