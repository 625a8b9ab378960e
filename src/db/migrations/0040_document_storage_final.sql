ALTER TABLE "record_signatures" ALTER COLUMN "delta_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "record_signatures" ALTER COLUMN "delta_removed" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "record_signatures" ALTER COLUMN "delta" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "record_pdfs" DROP COLUMN "pdf";--> statement-breakpoint
ALTER TABLE "record_signatures" DROP COLUMN "xml";