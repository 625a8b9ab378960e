CREATE TABLE "document_blobs" (
	"school_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_blobs_school_id_sha256_pk" PRIMARY KEY("school_id","sha256"),
	CONSTRAINT "document_blobs_sha256" CHECK ("document_blobs"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "record_pdfs" ALTER COLUMN "pdf" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "record_signatures" ALTER COLUMN "xml" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD COLUMN "delta_at" integer;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD COLUMN "delta_removed" integer;--> statement-breakpoint
ALTER TABLE "record_signatures" ADD COLUMN "delta" text;--> statement-breakpoint
ALTER TABLE "document_blobs" ADD CONSTRAINT "document_blobs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;