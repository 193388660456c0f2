package dev.vask.server.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTests {

    @Test
    void hostingProviderUrlBecomesJdbcAndR2dbcUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://vask:p%40ss%3Aword@db.example.com:6543/vask_prod?sslmode=require");
        assertThat(url.user()).isEqualTo("vask");
        assertThat(url.password()).isEqualTo("p@ss:word");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/vask_prod?sslmode=require&connectTimeout=5&ApplicationName=vask");
        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.example.com:6543/vask_prod?sslMode=require&connectTimeout=PT5S&applicationName=vask");
        assertThat(url.describe()).isEqualTo("vask@db.example.com:6543/vask_prod").doesNotContain("p@ss");
        assertThat(url.toString()).doesNotContain("p@ss");
    }

    @Test
    void jdbcUrlWithCredentialsInTheQueryIsAccepted() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost/vask?user=app&password=secret");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("secret");
        assertThat(url.options()).isEmpty();
        assertThat(url.springProperties()).containsEntry("spring.flyway.user", "app").containsEntry("spring.r2dbc.password", "secret");
    }

    @Test
    void postgresqlSchemeAndMissingDatabaseDefaultToPostgres() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://me@127.0.0.1:5433");
        assertThat(url.database()).isEqualTo("postgres");
        assertThat(url.hostAndPort()).isEqualTo("127.0.0.1:5433");
    }

    @Test
    void otherSchemesAndGarbageAreRefusedWithAMessageWithoutThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@db/vask"))
                .hasMessage("VASK_DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres:///vask")).hasMessage("VASK_DATABASE_URL has no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://a b@host/x")).hasMessageStartingWith("VASK_DATABASE_URL is not a URL");
    }
}
