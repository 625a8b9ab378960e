DROP INDEX "files_sha";--> statement-breakpoint
CREATE UNIQUE INDEX "files_sha_uploader" ON "files" USING btree ("school_id","sha256","uploaded_by");