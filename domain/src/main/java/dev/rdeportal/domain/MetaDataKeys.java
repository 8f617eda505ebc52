package dev.rdeportal.domain;

/**
 * Metadata every command carries and every event inherits (Axon correlation data): who did it and
 * from where. Correlation and causation ids come from Axon's own {@code MessageOriginProvider};
 * the UTC time is the event's timestamp.
 */
public final class MetaDataKeys {

    /** An email, {@code agent:<id>} or {@code system}. */
    public static final String ACTOR = "actor";
    public static final String CLIENT_IP = "clientIp";

    public static final String SYSTEM = "system";

    private MetaDataKeys() {
    }

    public static String agentActor(String agentId) {
        return "agent:" + agentId;
    }
}
