SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['delegations','record_signatures','signing_batches','signing_batch_items','record_pdfs']) AS t;
--> statement-breakpoint
-- A signature, once added, is never changed or removed from a school scope; nor is a sealed PDF.
REVOKE UPDATE, DELETE ON record_signatures FROM hocba_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON record_pdfs FROM hocba_app;
--> statement-breakpoint
-- A delegation is revoked (revoked_at), never deleted.
REVOKE DELETE ON delegations FROM hocba_app;
--> statement-breakpoint
-- Signing moves a version through its states (RECORD_STATES): only that column may change.
GRANT UPDATE (state) ON record_versions TO hocba_app;
--> statement-breakpoint
ALTER TABLE record_versions ADD CONSTRAINT record_versions_state CHECK (state IN ('frozen', 'subjects_signed', 'homeroom_signed', 'approved', 'sealed', 'superseded', 'returned'));
