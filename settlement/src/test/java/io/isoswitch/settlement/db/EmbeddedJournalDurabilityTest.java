package io.isoswitch.settlement.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: the embedded H2 journal lost transactions it had reported committed when its
 * process was killed (H2 writes commits to its file up to WRITE_DELAY, 500 ms, later). After
 * `kill -9` of a running switch and a restart, the audit found issuer debits with no journal row
 * (answered 00, then forgotten). A killed process must keep every commit it acknowledged.
 */
class EmbeddedJournalDurabilityTest {
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void aKilledProcessKeepsEveryCommitItAcknowledged() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        DatabaseConfig config = DatabaseConfig.of(url, DatabaseConfig.DEFAULT_USER, "");
        try (Connection c = DriverManager.getConnection(config.connectionUrl(), config.user(), config.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (n INT PRIMARY KEY)");
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, CommitsUntilKilled.class.getName(), url))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int lastAck = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (lastAck < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                }
            }
            child.destroyForcibly(); // SIGKILL, mid-stream: the commits just acknowledged are the ones at risk
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lastAck).as("acknowledged commits before the kill").isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        try (Connection c = DriverManager.getConnection(config.connectionUrl(), config.user(), config.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), COALESCE(MAX(n), 0) FROM acked WHERE n <= " + lastAck)) {
            r.next();
            assertThat(r.getInt(1)).as("rows of the %d acknowledged commits", lastAck).isEqualTo(lastAck);
        }
    }

    @Test
    void onlyEmbeddedFileUrlsWithoutTheirOwnWriteDelayOrCloseOnExitGetThem() {
        // DB_CLOSE_ON_EXIT=FALSE: H2's shutdown hook closed the journal under a SIGTERM drain, whose
        // requests in flight were then answered 96 ("journal could not record the outcome")
        assertThat(DatabaseConfig.of("jdbc:h2:file:./data/journal;MODE=PostgreSQL", "sa", "").connectionUrl())
                .isEqualTo("jdbc:h2:file:./data/journal;MODE=PostgreSQL;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(DatabaseConfig.of("jdbc:h2:file:./j;write_delay=100;db_close_on_exit=true", "sa", "").connectionUrl())
                .isEqualTo("jdbc:h2:file:./j;write_delay=100;db_close_on_exit=true");
        assertThat(DatabaseConfig.of("jdbc:h2:file:./j;write_delay=100", "sa", "").connectionUrl())
                .isEqualTo("jdbc:h2:file:./j;write_delay=100;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(DatabaseConfig.of("jdbc:h2:mem:j", "sa", "").connectionUrl()).isEqualTo("jdbc:h2:mem:j");
        assertThat(DatabaseConfig.of("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "").connectionUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    }
}
