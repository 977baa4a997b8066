-- Change data capture (DESIGN §3, §5): full before-images, a heartbeat table, the publication,
-- and a replication role that is NOT a superuser.

-- REPLICA IDENTITY FULL: deletes carry the whole old row, and unchanged TOASTed columns are never
-- replaced by Debezium's "__debezium_unavailable_value" placeholder.
ALTER TABLE departments REPLICA IDENTITY FULL;
ALTER TABLE employees REPLICA IDENTITY FULL;

-- Written by the CDC process's heartbeat action query, so the replication slot's position moves
-- (and WAL can be recycled) even when no employee changes for hours.
CREATE TABLE cdc_heartbeat (
    id      INT         PRIMARY KEY,
    beat_at TIMESTAMPTZ NOT NULL
);
INSERT INTO cdc_heartbeat (id, beat_at) VALUES (1, now());
ALTER TABLE cdc_heartbeat REPLICA IDENTITY FULL;
ALTER TABLE cdc_heartbeat OWNER TO pipeline;

-- Created here, not by Debezium (publication.autocreate.mode=disabled): Debezium's "filtered"
-- mode rewrites the publication on every start and needs table ownership to do it.
CREATE PUBLICATION employee_cdc FOR TABLE departments, employees, cdc_heartbeat;

-- LOGIN + REPLICATION is all logical decoding needs; it must never be a superuser.
CREATE ROLE cdc_replicator LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'cdc';
GRANT USAGE ON SCHEMA public TO cdc_replicator;
-- SELECT for the initial snapshot; the heartbeat row is written by the CDC process itself.
GRANT SELECT ON departments, employees, cdc_heartbeat TO cdc_replicator;
GRANT UPDATE, INSERT ON cdc_heartbeat TO cdc_replicator;
-- Tables added to public later are readable too (schema evolution without a manual grant).
ALTER DEFAULT PRIVILEGES FOR ROLE pipeline IN SCHEMA public GRANT SELECT ON TABLES TO cdc_replicator;
