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

    @ParameterizedTest
    @EnumSource(Backend.class)
    void migratesEveryTableAtStart(Backend backend) throws SQLException {
        assertThat(on(backend).database().schemaVersion()).isEqualTo("5");
        for (String table : new String[] {"journal", "saf_queue", "saf_attempt", "limit_counter", "merchant", "terminal"}) {
            assertThat(on(backend).queryLong("SELECT COUNT(*) FROM " + table)).as(table).isGreaterThanOrEqualTo(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void reopeningAMigratedSchemaAppliesNothing(Backend backend) {
        try (JournalDatabase again = on(backend).openAnotherNode()) {
            assertThat(again.schemaVersion()).isEqualTo("5");
            assertThat(again.vendor()).isEqualTo(backend == Backend.H2 ? DatabaseVendor.H2 : DatabaseVendor.POSTGRESQL);
        }
    }

    @Test
    void createsTheEmbeddedFileDatabaseWhereTheUrlSays(@TempDir Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("journal") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (JournalDatabase database = JournalDatabase.open(DatabaseConfig.of(url, "sa", ""))) {
            assertThat(database.schemaVersion()).isEqualTo("5");
        }
        assertThat(Files.exists(directory.resolve("journal.mv.db"))).isTrue();
    }

    @Test
    void failsFastWhenTheDatabaseIsUnreachable() {
        // Port 1 on the loopback interface: nothing listens there, the connection is refused at once.
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", 2, 500, null);

        assertThatThrownBy(() -> JournalDatabase.open(config)).isInstanceOf(JournalUnavailableException.class)
                .hasMessageContaining("cannot connect");
    }

    @Test
    void failsFastWithATypedErrorWhenTheSchemaCannotBeCreated() {
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", 2, 500, "t_x");

        assertThatThrownBy(() -> JournalDatabase.open(config)).isInstanceOf(JournalUnavailableException.class)
                .hasMessageContaining("t_x");
    }
}
