ALTER TABLE "schools" ADD COLUMN "practice_of_school_id" uuid;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_practice_of_school_id_schools_id_fk" FOREIGN KEY ("practice_of_school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schools_one_live_practice" ON "schools" USING btree ("practice_of_school_id") WHERE "schools"."retired_at" is null;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_practice_is_demo" CHECK ("schools"."practice_of_school_id" is null or "schools"."is_demo");