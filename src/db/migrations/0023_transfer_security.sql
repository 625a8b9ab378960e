-- Transfers between schools (docs/transfer.md): school-owned, guarded by row-level security.
SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['transfers_out','transfers_in','external_records']) AS t;
--> statement-breakpoint
-- Records received from another school are read-only evidence: never changed or removed.
REVOKE UPDATE, DELETE ON external_records FROM hocba_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON transfers_in FROM hocba_app;
--> statement-breakpoint
-- An exported package is kept as made; only the acknowledgment columns are filled in later.
REVOKE UPDATE, DELETE ON transfers_out FROM hocba_app;
--> statement-breakpoint
GRANT UPDATE (status, ack_xml, ack_report, ack_receiving_school, acknowledged_at) ON transfers_out TO hocba_app;
