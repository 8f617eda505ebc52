-- Members of the organisation (role, trust, workspace limit) and the membership version: the
-- sequence number of the organisation's latest membership event, which the portal's in-memory
-- member cache compares so that it never installs an older list over a newer one.

CREATE TABLE member_view (
    email           VARCHAR(320) NOT NULL PRIMARY KEY,
    role            VARCHAR(16)  NOT NULL,
    trusted         BOOLEAN      NOT NULL,
    workspace_limit INTEGER,
    joined_via      VARCHAR(300) NOT NULL,
    joined_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE member_version (
    id      VARCHAR(64) NOT NULL PRIMARY KEY,
    version BIGINT      NOT NULL
);
