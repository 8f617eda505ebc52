-- Read models of the query side (migration versions V100-V199 belong to the query side).
-- Every table here is derived from the event store and rebuilt by replaying it: the projections'
-- @ResetHandlers empty them, so nothing in them may be the only copy of a fact.
-- Portable SQL: runs on PostgreSQL 15 and on H2 2.x in MODE=PostgreSQL (embedded mode).

CREATE TABLE workspace_view (
    id                   VARCHAR(255) NOT NULL PRIMARY KEY,
    name                 VARCHAR      NOT NULL,
    blueprint_id         VARCHAR(255) NOT NULL,
    cluster_id           VARCHAR(255) NOT NULL,
    owner                VARCHAR      NOT NULL,
    status               VARCHAR(32)  NOT NULL,
    status_reason        VARCHAR,
    -- The operation the control plane waits for; resent to a reconnecting agent.
    pending_operation_id VARCHAR(255),
    pending_operation    VARCHAR(32),
    spec_json            VARCHAR      NOT NULL,
    -- App port -> port where the agent reaches it; null until the workspace first runs.
    ports_json           VARCHAR,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

-- "My workspaces, newest first" and its keyset paging on (created_at, id).
CREATE INDEX workspace_view_owner_created ON workspace_view (owner, created_at, id);
-- Admin listing of everyone's workspaces, same paging.
CREATE INDEX workspace_view_created ON workspace_view (created_at, id);
-- Reconciliation against an agent's inventory.
CREATE INDEX workspace_view_cluster ON workspace_view (cluster_id);

CREATE TABLE blueprint_view (
    id           VARCHAR(255) NOT NULL PRIMARY KEY,
    name         VARCHAR      NOT NULL,
    cluster_id   VARCHAR(255),
    details_json VARCHAR      NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE cluster_view (
    id            VARCHAR(255) NOT NULL PRIMARY KEY,
    name          VARCHAR      NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- No foreign keys anywhere: read models are derived data, and a projection must apply whatever the
-- event history says rather than fail on it.
CREATE TABLE agent_view (
    agent_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    cluster_id       VARCHAR(255) NOT NULL,
    -- SHA-256 of the agent's secret: read by the gateway to authenticate, never by the REST API.
    credential_hash  VARCHAR      NOT NULL,
    hostname         VARCHAR,
    connected        BOOLEAN      NOT NULL,
    protocol_version VARCHAR(64),
    runtime          VARCHAR(64),
    last_change_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX agent_view_cluster ON agent_view (cluster_id);
