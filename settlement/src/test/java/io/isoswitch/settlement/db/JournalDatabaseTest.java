package io.isoswitch.settlement.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.JournalUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalDatabaseTest extends BothDatabases {
    /**
     * The newest migration shipped (V8_1 is reported as "8.1"), read from the migrations themselves:
     * the highest version in the folders Flyway reads for {@code backend} (PostgreSQL adds its own).
     */
    private static String latestMigration(Backend backend) {
        var folders = backend == Backend.H2 ? java.util.List.of("/db/migration")
                : java.util.List.of("/db/migration", "/db/migration-postgresql");
        return folders.stream().flatMap(JournalDatabaseTest::versionsIn)
                .max(java.util.Comparator.comparing(version -> java.util.Arrays.stream(version.split("\\."))
                        .mapToInt(Integer::parseInt).toArray(), java.util.Arrays::compare))
                .orElseThrow();
    }

    private static java.util.stream.Stream<String> versionsIn(String folder) {
        try (var files = Files.list(Path.of(JournalDatabase.class.getResource(folder).toURI()))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V[0-9_]+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")).replace('_', '.'))
                    .toList().stream();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations", e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void migratesEveryTableAtStart(Backend backend) throws SQLException {
        assertThat(on(backend).database().schemaVersion()).isEqualTo(latestMigration(backend));
        for (String table : new String[] {"journal", "saf_queue", "saf_attempt", "limit_counter", "merchant", "terminal",
                "issuer_stan_block", "terminal_batch", "batch_close", "batch_upload_line", "batch_difference"}) {
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM " + table)).as(table).isGreaterThanOrEqualTo(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void reopeningAMigratedSchemaAppliesNothing(Backend backend) {
        try (JournalDatabase again = on(backend).openAnotherNode()) {
            assertThat(again.schemaVersion()).isEqualTo(latestMigration(backend));
            assertThat(again.vendor()).isEqualTo(backend == Backend.H2 ? DatabaseVendor.H2 : DatabaseVendor.POSTGRESQL);
        }
    }

    @Test
    void createsTheEmbeddedFileDatabaseWhereTheUrlSays(@TempDir Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("journal") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (JournalDatabase database = JournalDatabase.open(DatabaseConfig.of(url, "sa", ""))) {
            assertThat(database.schemaVersion()).isEqualTo(latestMigration(Backend.H2));
        }
        assertThat(Files.exists(directory.resolve("journal.mv.db"))).isTrue();
    }

    @Test
    void failsFastWhenTheDatabaseIsUnreachable() {
        // Port 1 on the loopback interface: nothing listens there, the connection is refused at once.
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", 2, 500, null);

        assertThatThrownBy(() -> JournalDatabase.open(config)).isInstanceOf(JournalUnavailableException.class)
                .hasMessageContaining("cannot connect").hasMessageContaining("127.0.0.1:1").hasMessageContaining("refused");
    }

    @Test
    void theUnreachableDatabasesAddressIsNamedWithoutThePasswordInItsUrl() {
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test?password=secret", "postgres", "", 2, 500, null);

        assertThatThrownBy(() -> JournalDatabase.open(config)).isInstanceOf(JournalUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("secret");
    }

    @Test
    void failsFastWithATypedErrorWhenTheSchemaCannotBeCreated() {
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", 2, 500, "t_x");

        assertThatThrownBy(() -> JournalDatabase.open(config)).isInstanceOf(JournalUnavailableException.class)
                .hasMessageContaining("t_x");
    }
}
