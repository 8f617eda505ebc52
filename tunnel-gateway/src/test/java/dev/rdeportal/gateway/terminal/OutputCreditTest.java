package dev.rdeportal.gateway.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCreditTest {

    private static final int K = 1024;
    private final List<Integer> acks = new ArrayList<>();
    private final OutputCredit credit = new OutputCredit(acks::add, 16 * K, 256 * K);

    @Test
    void outputIsAcknowledgedAsItArrivesWhileTheRelayHoldsLittle() {
        for (int i = 0; i < 4; i++) {
            credit.received(64 * K);
        }
        assertThat(acks).containsExactly(64 * K, 64 * K, 64 * K, 64 * K);
        assertThat(credit.held()).isEqualTo(256 * K);
    }

    @Test
    void pastTheHoldOutputIsAcknowledgedOnlyAsTheClientTakesIt() {
        for (int i = 0; i < 8; i++) {
            credit.received(64 * K);
        }
        assertThat(acks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(256 * K);
        credit.written(64 * K);
        assertThat(acks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(320 * K);
        for (int i = 0; i < 7; i++) {
            credit.written(64 * K);
        }
        assertThat(acks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(512 * K);
        assertThat(credit.held()).isZero();
    }

    @Test
    void aClientThatReadsNothingStopsTheCreditAtTheHold() {
        // The agent sends one window (256 KiB) beyond what was acknowledged, then waits: the relay
        // holds the hold plus one window, and the agent gets no more credit.
        for (int i = 0; i < 8; i++) {
            credit.received(64 * K);
        }
        int acknowledged = acks.stream().mapToInt(Integer::intValue).sum();
        assertThat(acknowledged).isEqualTo(256 * K);
        assertThat(credit.held()).isEqualTo(512 * K);
    }

    @Test
    void echoesAreAcknowledgedInStepsOfTheThreshold() {
        for (int i = 0; i < 63; i++) {
            credit.received(256);
            credit.written(256);
        }
        assertThat(acks).isEmpty();
        credit.received(256);
        assertThat(acks).containsExactly(16 * K);
    }
}
