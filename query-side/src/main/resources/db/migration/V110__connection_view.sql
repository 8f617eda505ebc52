-- The Security Center's connection log: one row per terminal connection (keyed by its connection
-- id) and per preview cookie session (keyed by its session id), from the connection events.
CREATE TABLE connection_view (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    kind         VARCHAR(16)              NOT NULL,
    user_email   VARCHAR(320),
    client_ip    VARCHAR(64),
    workspace_id VARCHAR(64)              NOT NULL,
    -- terminal: the tool (empty for a shell) and terminal session id; preview: the port
    detail       VARCHAR(256),
    opened_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at    TIMESTAMP WITH TIME ZONE,
    close_reason VARCHAR(512),
    requests     BIGINT,
    bytes_in     BIGINT,
    bytes_out    BIGINT
);

CREATE INDEX connection_view_open ON connection_view (closed_at, opened_at);
