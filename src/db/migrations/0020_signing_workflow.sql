CREATE TABLE "delegations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"principal_user_id" uuid NOT NULL,
	"delegate_user_id" uuid NOT NULL,
	"decision_number" text NOT NULL,
	"grades" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_pdfs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"step" text NOT NULL,
	"signature_id" text NOT NULL,
	"signer_user_id" uuid,
	"claimed_role" text NOT NULL,
	"subjects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"certificate_id" uuid NOT NULL,
	"delegation_id" uuid,
	"batch_id" uuid,
	"signed_at" timestamp with time zone NOT NULL,
	"xml" text NOT NULL,
	"xml_sha256" text NOT NULL,
	CONSTRAINT "record_signatures_step" CHECK ("record_signatures"."step" in ('subject', 'homeroom', 'principal', 'seal'))
);
--> statement-breakpoint
CREATE TABLE "signing_batch_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"version_id" uuid NOT NULL,
	"signature_id" text,
	"subjects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"label" jsonb NOT NULL,
	"prepared" jsonb,
	"digest" text,
	"base_seq" integer DEFAULT 0 NOT NULL,
	"delegation_id" uuid,
	"status" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"error_params" jsonb,
	"record_signature_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signing_batch_items_status" CHECK ("signing_batch_items"."status" in ('pending', 'signed', 'failed', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "signing_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"step" text NOT NULL,
	"target" jsonb NOT NULL,
	"certificate_id" uuid NOT NULL,
	"algorithm" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_principal_user_id_users_id_fk" FOREIGN KEY ("principal_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_delegate_user_id_users_id_fk" FOREIGN KEY ("delegate_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_pdfs" ADD CONSTRAINT "record_pdfs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_pdfs" ADD CONSTRAINT "record_pdfs_version_id_record_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."record_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD CONSTRAINT "record_signatures_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD CONSTRAINT "record_signatures_version_id_record_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."record_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD CONSTRAINT "record_signatures_signer_user_id_users_id_fk" FOREIGN KEY ("signer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD CONSTRAINT "record_signatures_certificate_id_signing_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."signing_certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD CONSTRAINT "record_signatures_delegation_id_delegations_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD CONSTRAINT "signing_batch_items_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD CONSTRAINT "signing_batch_items_batch_id_signing_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."signing_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD CONSTRAINT "signing_batch_items_version_id_record_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."record_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD CONSTRAINT "signing_batch_items_delegation_id_delegations_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD CONSTRAINT "signing_batch_items_record_signature_id_record_signatures_id_fk" FOREIGN KEY ("record_signature_id") REFERENCES "public"."record_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batches" ADD CONSTRAINT "signing_batches_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batches" ADD CONSTRAINT "signing_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_batches" ADD CONSTRAINT "signing_batches_certificate_id_signing_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."signing_certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delegations_delegate" ON "delegations" USING btree ("school_id","delegate_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "record_pdfs_version" ON "record_pdfs" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "record_signatures_seq" ON "record_signatures" USING btree ("version_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "record_signatures_sig" ON "record_signatures" USING btree ("version_id","signature_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_batch_items_position" ON "signing_batch_items" USING btree ("batch_id","position");--> statement-breakpoint
CREATE INDEX "signing_batch_items_version" ON "signing_batch_items" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "signing_batches_creator" ON "signing_batches" USING btree ("school_id","created_by","created_at");