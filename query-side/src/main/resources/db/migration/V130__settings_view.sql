-- The portal's settings document as last changed: one row, or none while nobody has saved settings
-- (then the configured defaults are in force). Derived from the event store like every read model
-- here; the projection's @ResetHandler empties it.

CREATE TABLE settings_view (
    id                  VARCHAR(32)  NOT NULL PRIMARY KEY,
    product_name        VARCHAR(60)  NOT NULL,
    accent_color        VARCHAR(7)   NOT NULL,
    logo_url            VARCHAR(2048),
    launches_per_minute INTEGER      NOT NULL,
    requests_per_minute INTEGER      NOT NULL,
    changed_by          VARCHAR      NOT NULL,
    changed_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
