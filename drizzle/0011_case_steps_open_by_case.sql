DROP INDEX "case_steps_open_idx";--> statement-breakpoint
CREATE INDEX "case_steps_open_idx" ON "case_steps" USING btree ("case_id") WHERE completed_at is null;