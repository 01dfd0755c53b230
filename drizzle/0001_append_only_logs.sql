-- Audit and event logs can only grow: refuse UPDATE, DELETE and TRUNCATE at the database level.
CREATE OR REPLACE FUNCTION kinerja_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER employee_audit_append_only BEFORE UPDATE OR DELETE ON employee_audit
  FOR EACH ROW EXECUTE FUNCTION kinerja_refuse_change();
--> statement-breakpoint
CREATE TRIGGER employee_audit_no_truncate BEFORE TRUNCATE ON employee_audit
  FOR EACH STATEMENT EXECUTE FUNCTION kinerja_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION kinerja_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION kinerja_refuse_change();
