DROP INDEX "outbox_pending_idx";--> statement-breakpoint
CREATE INDEX "outbox_pending_by_id_idx" ON "outbox" USING btree ("id") WHERE done_at is null;