-- Sync settings, runs and per-version results belong to one school (row-level security).
SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['sync_settings','sync_runs','sync_items']) AS t;
--> statement-breakpoint
-- A run and a version's sync state are history: updated, never deleted from a school scope.
REVOKE DELETE ON sync_runs FROM hocba_app;
--> statement-breakpoint
REVOKE DELETE ON sync_items FROM hocba_app;
