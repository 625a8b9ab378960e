CREATE TABLE "signature_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"png" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signature_images_kind" CHECK (("signature_images"."kind" = 'signature' and "signature_images"."user_id" is not null) or ("signature_images"."kind" = 'seal' and "signature_images"."user_id" is null))
);
--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_user" ON "signature_images" USING btree ("school_id","user_id") WHERE kind = 'signature';--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_seal" ON "signature_images" USING btree ("school_id") WHERE kind = 'seal';