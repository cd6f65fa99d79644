package io.isoswitch.settlement.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    @Test
    void defaultsToAnEmbeddedH2FileDatabaseInPostgresMode() {
        DatabaseConfig config = DatabaseConfig.defaults();

        assertThat(config.vendor()).isEqualTo(DatabaseVendor.H2);
        assertThat(config.jdbcUrl()).startsWith("jdbc:h2:file:./data/journal").contains("MODE=PostgreSQL");
        assertThat(config.poolSize()).isEqualTo(DatabaseConfig.DEFAULT_POOL_SIZE);
        assertThat(config.connectionTimeoutMs()).isEqualTo(DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT_MS);
        assertThat(config.networkTimeoutMs()).isEqualTo(DatabaseConfig.DEFAULT_NETWORK_TIMEOUT_MS);
    }

    @Test
    void masksThePasswordWhereverItAppears() {
        DatabaseConfig config = DatabaseConfig.of(
                "jdbc:postgresql://db:5432/switch?user=sw&password=url-secret", "switch", "field-secret");

        assertThat(config.toString()).doesNotContain("url-secret").doesNotContain("field-secret").contains("****");
    }

    @Test
    void rejectsAnUnknownDatabaseNamingTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.of("jdbc:mysql://db/switch?password=secret", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal.jdbcUrl")
                .hasMessageNotContaining("secret");
    }

    @Test
    void rejectsAPoolTooSmallForAWriterAndAReader() {
        assertThatThrownBy(() -> DatabaseConfig.defaults().withPoolSize(1))
                .hasMessageContaining("journal.poolSize").hasMessageContaining("found 1");
    }

    @Test
    void rejectsAConnectionTimeoutHikariWouldRefuse() {
        assertThatThrownBy(() -> new DatabaseConfig(DatabaseConfig.DEFAULT_JDBC_URL, "sa", "", 4, 100, null))
                .hasMessageContaining("journal.connectionTimeoutMs");
    }

    @Test
    void rejectsASchemaThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> DatabaseConfig.defaults().withSchema("x; DROP TABLE journal"))
                .hasMessageContaining("journal.schema");
    }
}
