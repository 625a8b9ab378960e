ALTER TABLE "signing_batch_items" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "signing_batch_items" ADD COLUMN "claimed_until" timestamp with time zone;