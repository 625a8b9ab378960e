-- The plan, its settings, progress snapshots, daily runs and notifications belong to one school (row-level security).
SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['plan_stages','plan_settings','plan_progress_snapshots','plan_daily_runs','notifications']) AS t;
--> statement-breakpoint
-- A digest, once written, is history: only its read mark and e-mail outcome change, it is never deleted.
REVOKE UPDATE, DELETE ON notifications FROM hocba_app;
--> statement-breakpoint
GRANT UPDATE (read_at, email_status, email_to, email_error, emailed_at) ON notifications TO hocba_app;
--> statement-breakpoint
ALTER TABLE notifications ADD CONSTRAINT notifications_email_status CHECK (email_status IN ('none', 'pending', 'sent', 'failed'));
--> statement-breakpoint
ALTER TABLE plan_stages ADD CONSTRAINT plan_stages_stage CHECK (stage IN ('data_cleaning', 'marks_s1', 'marks_s2', 'freeze', 'sign_subject', 'sign_homeroom', 'sign_principal', 'seal', 'sync'));
