package dev.rdeportal.domain.blueprint;

/** Which LLM API a blueprint's tools talk to; {@code CUSTOM} is a private gateway or an internal model. */
public enum LlmKind {
    ANTHROPIC, OPENAI, CUSTOM
}
