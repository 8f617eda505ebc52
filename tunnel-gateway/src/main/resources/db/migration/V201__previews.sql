-- Previews (tunnel gateway). Tickets work like terminal tickets (hash only, one use, deleted by
-- the statement that reads them) and are bound to a port as well. A redeemed ticket becomes a
-- cookie session on the preview origin; again only the cookie's SHA-256 is stored.
CREATE TABLE preview_ticket (
    ticket_hash  VARCHAR(64)              NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(64)              NOT NULL,
    cluster_id   VARCHAR(64)              NOT NULL,
    port         INTEGER                  NOT NULL,
    user_email   VARCHAR(320)             NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX preview_ticket_expires_at ON preview_ticket (expires_at);

-- requests and bytes are added up by each replica that served the session, every few seconds.
CREATE TABLE preview_session (
    session_hash VARCHAR(64)              NOT NULL PRIMARY KEY,
    session_id   VARCHAR(36)              NOT NULL UNIQUE,
    workspace_id VARCHAR(64)              NOT NULL,
    cluster_id   VARCHAR(64)              NOT NULL,
    port         INTEGER                  NOT NULL,
    user_email   VARCHAR(320)             NOT NULL,
    client_ip    VARCHAR(64)              NOT NULL,
    opened_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    requests     BIGINT                   NOT NULL DEFAULT 0,
    bytes_in     BIGINT                   NOT NULL DEFAULT 0,
    bytes_out    BIGINT                   NOT NULL DEFAULT 0
);

CREATE INDEX preview_session_expires_at ON preview_session (expires_at);
CREATE INDEX preview_session_last_seen_at ON preview_session (last_seen_at);
