SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['share_links','issued_copies']) AS t;
--> statement-breakpoint
-- The issued-copy log is append-only from a school scope: nobody rewrites who received a copy.
REVOKE UPDATE, DELETE ON issued_copies FROM hocba_app;
--> statement-breakpoint
-- A share link is revoked (revoked_at, revoked_by), never deleted or re-pointed.
REVOKE UPDATE, DELETE ON share_links FROM hocba_app;
--> statement-breakpoint
GRANT UPDATE (revoked_at, revoked_by) ON share_links TO hocba_app;
