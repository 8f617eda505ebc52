package dev.rdeportal.domain.blueprint;

/** An AI coding tool (or any command) a workspace offers as a terminal tab, e.g. {@code claude}. */
public record Tool(String name, String command) {
}
