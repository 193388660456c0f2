package dev.vask.platform.secret;

import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class MasterKeyVerificationTests {

    private static final String OTHER_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    @Test
    void startWithAnotherMasterKeyThanTheFirstStartFailsWithAClearMessage(CapturedOutput output) {
        TestDatabase database = TestDatabase.create();
        try (ConfigurableApplicationContext first = start(database, PlatformTestDatabase.MASTER_KEY)) {
            assertThat(first.isActive()).isTrue();
        }
        assertThatThrownBy(() -> start(database, OTHER_KEY).close())
                .hasRootCauseInstanceOf(MasterKeyException.class);
        assertThat(output).contains("VASK_MASTER_KEY is not the key this database's secrets were encrypted with.")
                .contains("Start Vask with the master key this database was first started with.");
    }

    @Test
    void sameMasterKeyStartsAgain() {
        TestDatabase database = TestDatabase.create();
        start(database, PlatformTestDatabase.MASTER_KEY).close();
        try (ConfigurableApplicationContext again = start(database, PlatformTestDatabase.MASTER_KEY)) {
            assertThat(again.isActive()).isTrue();
        }
    }

    @Test
    void missingMasterKeyStopsStartUpAndSaysHowToMakeOne(CapturedOutput output) {
        TestDatabase database = TestDatabase.create();
        assertThatThrownBy(() -> start(database, "").close()).hasRootCauseInstanceOf(MasterKeyException.class);
        assertThat(output).contains("VASK_MASTER_KEY is not set.").contains("openssl rand -base64 32");
    }

    private static ConfigurableApplicationContext start(TestDatabase database, String masterKey) {
        return new SpringApplicationBuilder(PlatformTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(new java.util.HashMap<String, Object>(database.springProperties()))
                .properties("vask.master-key=" + masterKey)
                .run();
    }
}
