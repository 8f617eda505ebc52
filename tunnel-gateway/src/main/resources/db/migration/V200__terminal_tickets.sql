-- One-time terminal tickets (tunnel gateway; versions V200-V299 belong to the gateway).
-- Only the SHA-256 of a ticket is stored; redeeming deletes the row in the same statement that
-- reads it, so a ticket works once even with several portal replicas on this database.
CREATE TABLE terminal_ticket (
    ticket_hash  VARCHAR(64)              NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(64)              NOT NULL,
    cluster_id   VARCHAR(64)              NOT NULL,
    user_email   VARCHAR(320)             NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX terminal_ticket_expires_at ON terminal_ticket (expires_at);
