DROP INDEX "broadcast_deliveries_status_idx";--> statement-breakpoint
DROP INDEX "broadcast_deliveries_batch_idx";--> statement-breakpoint
CREATE INDEX "broadcast_deliveries_chat_idx" ON "broadcast_deliveries" USING btree ("broadcast_id","chat_id");--> statement-breakpoint
CREATE INDEX "broadcast_deliveries_queued_idx" ON "broadcast_deliveries" USING btree ("broadcast_id","batch") WHERE status = 'queued';