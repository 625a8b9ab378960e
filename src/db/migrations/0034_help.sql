CREATE TABLE "user_help_state" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"tour_dismissed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user_help_state" ADD CONSTRAINT "user_help_state_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;