DROP TABLE action_audit_events;
