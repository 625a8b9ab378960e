SELECT hocba_guard_school_table('record_revocations');
--> statement-breakpoint
-- A revocation is final: never changed or removed from a school scope.
REVOKE UPDATE, DELETE ON record_revocations FROM hocba_app;
--> statement-breakpoint
-- The public verification page looks a printed code up among all sealed versions: the code is
-- the first 50 bits of the digest, so the first 12 hex digits narrow it to (almost) one row.
CREATE INDEX IF NOT EXISTS record_versions_code_prefix ON record_versions (left(digest, 12));
