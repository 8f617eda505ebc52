package dev.rdeportal.command.web;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifiers chosen by the API before a command is sent, so command handlers stay deterministic. */
final class Ids {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** e.g. {@code ws-k3j9x0a8b2cd}: 62 random bits, DNS-label safe for namespaces and preview hosts. */
    static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 12; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    static String operation() {
        return UUID.randomUUID().toString();
    }
}
