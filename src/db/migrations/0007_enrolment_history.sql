DROP INDEX "enrolments_year";--> statement-breakpoint
ALTER TABLE "enrolments" ADD COLUMN "joined_as" text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrolments" ADD COLUMN "note" text;--> statement-breakpoint
CREATE UNIQUE INDEX "enrolments_active" ON "enrolments" USING btree ("student_id","school_year_id") WHERE "enrolments"."status" = 'active';