-- Publish requests and their reviews (query side). One row per request, kept forever: the review
-- queue (status PENDING) and the history an admin reads. publish_name is the published app's
-- stable host label; the gateway finds the app by it.
CREATE TABLE publish_request_view (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    workspace_id   VARCHAR(255)  NOT NULL,
    workspace_name VARCHAR(255)  NOT NULL,
    cluster_id     VARCHAR(255)  NOT NULL,
    blueprint_id   VARCHAR(255)  NOT NULL,
    requester      VARCHAR(320)  NOT NULL,
    port           INTEGER       NOT NULL,
    note           VARCHAR(1000) NOT NULL,
    start_command  VARCHAR(4096) NOT NULL,
    publish_name   VARCHAR(64)   NOT NULL UNIQUE,
    status         VARCHAR(16)   NOT NULL,
    reviewer       VARCHAR(320),
    review_comment VARCHAR(4096),
    requested_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reviewed_at    TIMESTAMP WITH TIME ZONE,
    auto_approved  BOOLEAN       NOT NULL,
    operation_id   VARCHAR(64),
    url            VARCHAR(512),
    reason         VARCHAR(4096)
);

CREATE INDEX publish_request_status ON publish_request_view (status, requested_at, id);
CREATE INDEX publish_request_workspace ON publish_request_view (workspace_id, requested_at, id);
CREATE INDEX publish_request_cluster ON publish_request_view (cluster_id, status);
