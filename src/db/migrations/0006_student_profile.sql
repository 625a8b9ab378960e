ALTER TABLE "schools" ADD COLUMN "mandatory_student_fields" text[] DEFAULT '{fullName,gender,birthDate,birthPlace,ethnicityCode,nationality,personalId,studentCode,address}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "hometown" text;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "guardian_name" text;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "guardian_occupation" text;