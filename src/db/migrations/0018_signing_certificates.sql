CREATE TABLE "signing_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"user_id" uuid,
	"certificate" "bytea" NOT NULL,
	"chain" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"subject" text NOT NULL,
	"common_name" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"key_ref" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"revocation_at_registration" text NOT NULL,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "signing_certificates_source" CHECK ("signing_certificates"."source" in ('upload', 'agent', 'csc', 'demo', 'server_key')),
	CONSTRAINT "signing_certificates_status" CHECK ("signing_certificates"."status" in ('active', 'replaced', 'revoked'))
);
--> statement-breakpoint
ALTER TABLE "signing_certificates" ADD CONSTRAINT "signing_certificates_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_certificates" ADD CONSTRAINT "signing_certificates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signing_certificates_active_user" ON "signing_certificates" USING btree ("school_id","user_id") WHERE status = 'active' and user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "signing_certificates_active_seal" ON "signing_certificates" USING btree ("school_id") WHERE status = 'active' and user_id is null;--> statement-breakpoint
CREATE INDEX "signing_certificates_fingerprint" ON "signing_certificates" USING btree ("fingerprint");