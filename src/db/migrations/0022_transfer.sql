CREATE TABLE "external_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"transfer_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"school_year" text NOT NULL,
	"version" integer NOT NULL,
	"source_school_code" text NOT NULL,
	"source_school_name" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" text NOT NULL,
	"xml" text NOT NULL,
	"xml_sha256" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers_in" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"package_id" text NOT NULL,
	"package_sha256" text NOT NULL,
	"package" "bytea" NOT NULL,
	"sending_school_code" text NOT NULL,
	"sending_school_name" text NOT NULL,
	"manifest_xml" text NOT NULL,
	"manifest_report" jsonb NOT NULL,
	"ack_xml" text NOT NULL,
	"student_match" text NOT NULL,
	"imported_by" uuid NOT NULL,
	"imported_by_label" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers_out" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"destination" text NOT NULL,
	"reason" text NOT NULL,
	"file_name" text NOT NULL,
	"package" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"record_count" integer NOT NULL,
	"status" text DEFAULT 'exported' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ack_xml" text,
	"ack_report" jsonb,
	"ack_receiving_school" text,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "transfers_out_status" CHECK ("transfers_out"."status" in ('exported', 'acknowledged'))
);
--> statement-breakpoint
ALTER TABLE "external_records" ADD CONSTRAINT "external_records_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_records" ADD CONSTRAINT "external_records_transfer_id_transfers_in_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_records" ADD CONSTRAINT "external_records_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_in" ADD CONSTRAINT "transfers_in_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_in" ADD CONSTRAINT "transfers_in_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_in" ADD CONSTRAINT "transfers_in_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_out" ADD CONSTRAINT "transfers_out_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_out" ADD CONSTRAINT "transfers_out_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers_out" ADD CONSTRAINT "transfers_out_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_records_student" ON "external_records" USING btree ("student_id");--> statement-breakpoint
CREATE UNIQUE INDEX "external_records_unique" ON "external_records" USING btree ("transfer_id","school_year","version");--> statement-breakpoint
CREATE INDEX "transfers_in_student" ON "transfers_in" USING btree ("student_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_in_sha256" ON "transfers_in" USING btree ("school_id","package_sha256");--> statement-breakpoint
CREATE INDEX "transfers_out_school" ON "transfers_out" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_out_sha256" ON "transfers_out" USING btree ("school_id","sha256");