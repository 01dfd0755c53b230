ALTER TABLE "broadcasts" ADD COLUMN "excluded_not_linked" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "excluded_unreachable" integer DEFAULT 0 NOT NULL;