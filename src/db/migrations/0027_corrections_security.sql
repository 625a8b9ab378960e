SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['record_returns','record_corrections']) AS t;
--> statement-breakpoint
-- The reason a version was returned is part of its history: never changed or removed.
REVOKE UPDATE, DELETE ON record_returns FROM hocba_app;
--> statement-breakpoint
-- A change request is decided, never deleted (the decision and the new version are its history).
REVOKE DELETE ON record_corrections FROM hocba_app;
