package dev.rdeportal.agent.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Kept-alive app connections: newest first, per app, none idle too long, none with unread bytes. */
class AppPoolTest {

    private static AppConnection connection(String key, String unread) {
        return new AppConnection(key, null, new ByteArrayInputStream(unread.getBytes()), new ByteArrayOutputStream());
    }

    @Test
    void givesBackTheNewestConnectionOfTheSameAppOnly() {
        try (AppPool pool = new AppPool()) {
            AppConnection a1 = connection("a:1", "");
            AppConnection a2 = connection("a:1", "");
            AppConnection b = connection("b:2", "");
            pool.give(a1);
            pool.give(a2);
            pool.give(b);
            assertThat(pool.take("a:1", AppPool.MAX_IDLE_NANOS)).isSameAs(a2);
            assertThat(a2.reused()).isTrue();
            assertThat(pool.take("a:1", AppPool.MAX_IDLE_NANOS)).isSameAs(a1);
            assertThat(pool.take("a:1", AppPool.MAX_IDLE_NANOS)).isNull();
            assertThat(pool.take("b:2", AppPool.MAX_IDLE_NANOS)).isSameAs(b);
            assertThat(pool.size()).isZero();
        }
    }

    @Test
    void aConnectionIdleTooLongOrWithUnreadBytesIsNotReused() throws Exception {
        try (AppPool pool = new AppPool()) {
            pool.give(connection("a:1", ""));
            Thread.sleep(20);
            assertThat(pool.take("a:1", 1_000_000)).as("idle over 1 ms").isNull();
            assertThat(pool.size()).isZero();
            pool.give(connection("a:1", "HTTP/1.1 200 OK\r\n"));
            assertThat(pool.take("a:1", AppPool.MAX_IDLE_NANOS)).as("the app spoke while idle").isNull();
        }
    }

    @Test
    void keepsAtMostSoManyPerApp() {
        try (AppPool pool = new AppPool()) {
            for (int i = 0; i < AppPool.MAX_IDLE_PER_APP + 5; i++) {
                pool.give(connection("a:1", ""));
            }
            assertThat(pool.size()).isEqualTo(AppPool.MAX_IDLE_PER_APP);
        }
    }

    @Test
    void aClosedPoolKeepsNothing() {
        AppPool pool = new AppPool();
        pool.close();
        pool.give(connection("a:1", ""));
        assertThat(pool.size()).isZero();
    }
}
