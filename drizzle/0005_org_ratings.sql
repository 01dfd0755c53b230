CREATE TABLE "org_rating_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"perangkat_daerah_id" uuid NOT NULL,
	"period" text NOT NULL,
	"previous_rating" text,
	"rating" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"perangkat_daerah_id" uuid NOT NULL,
	"period" text NOT NULL,
	"rating" text NOT NULL,
	"set_by_id" uuid NOT NULL,
	"set_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_rating_audit" ADD CONSTRAINT "org_rating_audit_perangkat_daerah_id_units_id_fk" FOREIGN KEY ("perangkat_daerah_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_rating_audit" ADD CONSTRAINT "org_rating_audit_actor_id_employees_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_ratings" ADD CONSTRAINT "org_ratings_perangkat_daerah_id_units_id_fk" FOREIGN KEY ("perangkat_daerah_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_ratings" ADD CONSTRAINT "org_ratings_set_by_id_employees_id_fk" FOREIGN KEY ("set_by_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_rating_audit_pd_idx" ON "org_rating_audit" USING btree ("perangkat_daerah_id","period","id");--> statement-breakpoint
CREATE UNIQUE INDEX "org_ratings_pd_period_uq" ON "org_ratings" USING btree ("perangkat_daerah_id","period");--> statement-breakpoint
CREATE TRIGGER org_rating_audit_append_only BEFORE UPDATE OR DELETE ON org_rating_audit
  FOR EACH ROW EXECUTE FUNCTION kinerja_refuse_change();
--> statement-breakpoint
CREATE TRIGGER org_rating_audit_no_truncate BEFORE TRUNCATE ON org_rating_audit
  FOR EACH STATEMENT EXECUTE FUNCTION kinerja_refuse_change();
