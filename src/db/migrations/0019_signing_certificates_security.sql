SELECT hocba_guard_school_table('signing_certificates');
--> statement-breakpoint
-- A registered certificate is never deleted from a school scope: signatures made with it name it.
REVOKE DELETE ON signing_certificates FROM hocba_app;
