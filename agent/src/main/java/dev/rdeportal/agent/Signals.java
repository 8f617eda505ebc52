package dev.rdeportal.agent;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT end the agent gracefully with exit status 0. A JVM shutdown hook cannot do
 * that: once the JVM is shutting down the exit status is already 143, and the main thread's own
 * {@code System.exit} would block. So the signals are handled directly; the JVM default handler
 * stays in place for anything else.
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException e) {
                // Signal unavailable on this platform (or taken by the JVM with -Xrs): keep the default.
            }
        }
    }
}
