ALTER TABLE "role_grants" DROP CONSTRAINT "role_grants_school_needed";--> statement-breakpoint
ALTER TABLE "role_grants" ADD COLUMN "province_code" text;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_province_needed" CHECK (("role_grants"."role" = 'province_officer') = ("role_grants"."province_code" is not null));--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_school_needed" CHECK (("role_grants"."role" in ('system_admin', 'province_officer')) = ("role_grants"."school_id" is null));