package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how fast store-and-forward drains a queue after an issuer outage; not a test (its name
 * keeps it out of the build's test run), a harness run by hand:
 *
 * <pre>
 * $MVN -B -ntp -q verify -pl switch-core -am -Dtest=SafDrainRate -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsaf.entries=2000 -Dsaf.backend=postgresql
 * grep -h "drained" switch-core/target/surefire-reports/*SafDrainRate-output.txt
 * (-Dsaf.windows=1,16,64 runs one switch and one drain per issuers[].safWindow, in turn)
 * </pre>
 *
 * The switch and the issuer simulator run as the tests run them (one node, one issuer link of one
 * connection, 127.0.0.1). {@code saf.entries} purchases are approved through a terminal; the issuer
 * is stopped; each purchase gets a reversal queued (as a void does); the issuer starts again, and
 * the time from its link being up to the queue being empty is the drain. Prints entries/s; asserts
 * only that every purchase ended REVERSED.
 */
class SafDrainRate {
    @TempDir
    Path dir;

    @Test
    void drainsAQueueOfReversalsAfterAnIssuerOutage() throws Exception {
        // -Dsaf.windows=1,16,64: one switch and one drain each, in turn (-Dsaf.window=N: just N)
        String windows = System.getProperty("saf.windows", System.getProperty("saf.window", ""));
        if (windows.isEmpty()) {
            drain(null);
        }
        for (String window : windows.isEmpty() ? new String[0] : windows.split(",")) {
            drain(Integer.valueOf(window.trim()));
        }
    }

    private void drain(Integer window) throws Exception {
        int entries = Integer.getInteger("saf.entries", 1_000);
        boolean postgres = !"h2".equals(System.getProperty("saf.backend", "postgresql"));
        Path dir = Files.createTempDirectory(this.dir, "switch");
        try (JournalBackend backend = postgres ? JournalBackend.postgresSchema("saf12_drain_" + UUID.randomUUID().toString().substring(0, 8))
                : JournalBackend.h2();
             SwitchFixture fixture = SwitchFixture.start(SafDrainRateConfig.apply(window, 
                     SwitchFixture.Options.of(backend, dir).withCards(Math.max(8, entries / 500 + 1))))) {
            // approved purchases, 500 a card (100 minor units each: a card holds 100000)
            TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            for (int i = 1; i <= entries; i++) {
                IssuedCard card = fixture.issuer().card((i - 1) / 500);
                assertThat(terminal.send(terminal.pinPurchase(card, String.format("%06d", i), 100)).getString(39)).isEqualTo("00");
            }
            fixture.issuer().stop();
            fixture.awaitIssuerLink(false);

            List<UUID> approved = new ArrayList<>();
            try (Connection c = backend.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT id FROM journal WHERE state = 'APPROVED' AND transaction_type = 'PURCHASE' ORDER BY created_at")) {
                while (r.next()) {
                    approved.add(r.getObject(1, UUID.class));
                }
            }
            assertThat(approved).hasSize(entries);
            try (JournalDatabase database = JournalDatabase.open(backend.config(4, 5_000).toDatabaseConfig())) {
                try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
                    List<java.util.concurrent.CompletableFuture<?>> queued = new ArrayList<>();
                    for (UUID id : approved) {
                        queued.add(journal.transition(id, TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                                SafRequest.reversal(SwitchFixture.ISSUER, "17", 100, "156")));
                    }
                    queued.forEach(java.util.concurrent.CompletableFuture::join);
                }
                StoreAndForwardQueue queue = new StoreAndForwardQueue(database, Clock.systemUTC());
                assertThat(queue.summary(SwitchFixture.ISSUER).join().pending()).isEqualTo(entries);

                fixture.issuer().start();
                fixture.awaitIssuerLink(true);
                long start = System.nanoTime();
                while (queue.summary(SwitchFixture.ISSUER).join().pending() > 0) {
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("SAF drained %d entries in %.2f s: %.0f entries/s (%s, %s)%n", entries, seconds, entries / seconds,
                        backend.name(), SafDrainRateConfig.describe(window));
            }
            try (Connection c = backend.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM journal WHERE state = 'REVERSED' AND transaction_type = 'PURCHASE'")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(entries);
            }
        }
    }
}
