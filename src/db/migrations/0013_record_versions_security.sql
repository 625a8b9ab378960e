SELECT hocba_guard_school_table('record_versions');
--> statement-breakpoint
-- A frozen version is never changed or deleted from a school scope (signing will add its own tables).
REVOKE UPDATE, DELETE ON record_versions FROM hocba_app;
