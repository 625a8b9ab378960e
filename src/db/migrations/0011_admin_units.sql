CREATE TABLE "admin_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" text NOT NULL,
	"province_name" text NOT NULL,
	"commune_code" text,
	"commune_name" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "admin_units_commune" ON "admin_units" USING btree ("province_code","commune_name");--> statement-breakpoint
-- Reference data: every school scope may read it, none may change it.
GRANT SELECT ON admin_units TO hocba_app;
