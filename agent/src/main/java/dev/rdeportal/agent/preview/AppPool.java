package dev.rdeportal.agent.preview;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to apps, by {@code host:port}, newest first. A connection idle
 * longer than {@link #MAX_IDLE_NANOS} is closed rather than reused (apps close idle connections
 * too, Node after 5 s, and a request on one the app just closed must be retried or lost).
 */
final class AppPool implements AutoCloseable {

    static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(4);
    static final int MAX_IDLE_PER_APP = 32;

    private final Map<String, ArrayDeque<AppConnection>> idle = new HashMap<>();
    private boolean closed;
    private long lastSweep = System.nanoTime();

    /** The most recently used idle connection to {@code key} that lay idle at most {@code maxIdleNanos}, or null. */
    AppConnection take(String key, long maxIdleNanos) {
        List<AppConnection> stale = null;
        AppConnection found = null;
        long now = System.nanoTime();
        synchronized (this) {
            ArrayDeque<AppConnection> connections = idle.get(key);
            while (connections != null && !connections.isEmpty()) {
                AppConnection c = connections.pollFirst();
                if (now - c.idleSince() <= maxIdleNanos && !c.hasUnreadBytes()) {
                    found = c;
                    break;
                }
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(c);
            }
        }
        if (stale != null) {
            stale.forEach(AppConnection::close);
        }
        return found;
    }

    /** A connection whose exchange ended cleanly, kept for the next request to the same app. */
    void give(AppConnection c) {
        long now = System.nanoTime();
        c.idle(now);
        List<AppConnection> expired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                expired.add(c);
            } else {
                ArrayDeque<AppConnection> connections = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
                connections.addFirst(c);
                while (connections.size() > MAX_IDLE_PER_APP) {
                    expired.add(connections.pollLast());
                }
                // Now and then, the ones that lay idle too long go, for every app: a stopped
                // workspace's connections are not kept open for ever.
                if (now - lastSweep > MAX_IDLE_NANOS) {
                    lastSweep = now;
                    for (Iterator<ArrayDeque<AppConnection>> apps = idle.values().iterator(); apps.hasNext(); ) {
                        ArrayDeque<AppConnection> app = apps.next();
                        for (Iterator<AppConnection> it = app.descendingIterator(); it.hasNext(); ) {
                            AppConnection old = it.next();
                            if (now - old.idleSince() <= MAX_IDLE_NANOS) {
                                break;
                            }
                            it.remove();
                            expired.add(old);
                        }
                        if (app.isEmpty()) {
                            apps.remove();
                        }
                    }
                }
            }
        }
        expired.forEach(AppConnection::close);
    }

    /** Idle connections held now (all apps). */
    synchronized int size() {
        return idle.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    @Override
    public void close() {
        List<AppConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(AppConnection::close);
    }
}
