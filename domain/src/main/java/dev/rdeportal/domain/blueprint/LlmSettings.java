package dev.rdeportal.domain.blueprint;

/**
 * A blueprint's LLM provider. The API key exists here only as Tink AEAD ciphertext (base64) whose
 * associated data names the blueprint, so a ciphertext moved to another blueprint fails to
 * decrypt. The plain key is never in a command, an event or a read model.
 */
public record LlmSettings(LlmKind kind, String endpoint, String encryptedApiKey) {

    public boolean keySet() {
        return encryptedApiKey != null && !encryptedApiKey.isEmpty();
    }

    public LlmSettings withEncryptedApiKey(String ciphertext) {
        return new LlmSettings(kind, endpoint, ciphertext);
    }

    /** Associated data binding a ciphertext to its blueprint. */
    public static String keyContext(String blueprintId) {
        return "blueprint:" + blueprintId + ":llm-api-key";
    }

    @Override
    public String toString() {
        return "LlmSettings[" + kind + ", " + endpoint + ", keySet=" + keySet() + "]";
    }
}
