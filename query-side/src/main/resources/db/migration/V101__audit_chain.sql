-- The audit hash chain (see dev.rdeportal.query.audit). Unlike the read models of V100 this table
-- is NOT derived data that a replay may rebuild: it is the recorded evidence that verification
-- compares a fresh recomputation against, so its processor refuses resets (@DisallowReplay).
-- Portable SQL: PostgreSQL 15 and H2 2.x in MODE=PostgreSQL.

CREATE TABLE audit_chain (
    -- The event's global_index in domain_event_entry.
    global_index BIGINT      NOT NULL PRIMARY KEY,
    -- 1, 2, 3, ... in the order the processor linked the events: global order, except that an
    -- event whose transaction committed late (filling a gap Axon was still waiting for) is linked
    -- when it arrives. Dense, so a missing link is visible.
    position     BIGINT      NOT NULL,
    -- SHA-256(previous link || canonical bytes of the event), lowercase hex.
    link         VARCHAR(64) NOT NULL,
    CONSTRAINT audit_chain_position UNIQUE (position)
);
