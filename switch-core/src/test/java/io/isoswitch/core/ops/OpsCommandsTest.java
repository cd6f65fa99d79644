package io.isoswitch.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpsCommandsTest {
    private final AtomicInteger ran = new AtomicInteger();
    private final OpsEndpoint command = request -> {
        ran.incrementAndGet();
        return OpsResponse.text(202, "done\n");
    };

    private static OpsRequest request(String method, String authorization) {
        return new OpsRequest(method, "/ops/reload", Map.of(), authorization);
    }

    @Test
    void runsTheCommandForAPostWithTheToken() {
        assertThat(OpsCommands.protectedBy("s3cret", command).handle(request("POST", "Bearer s3cret")).status()).isEqualTo(202);
        assertThat(ran).hasValue(1);
    }

    @Test
    void refusesAWrongOrMissingTokenAndOtherMethods() {
        OpsEndpoint guarded = OpsCommands.protectedBy("s3cret", command);
        assertThat(guarded.handle(request("POST", "Bearer wrong")).status()).isEqualTo(401);
        assertThat(guarded.handle(request("POST", null)).status()).isEqualTo(401);
        assertThat(guarded.handle(request("GET", "Bearer s3cret")).status()).isEqualTo(405);
        assertThat(ran).hasValue(0);
    }

    @Test
    void commandsAreDisabledWithoutAConfiguredToken() {
        assertThat(OpsCommands.protectedBy("", command).handle(request("POST", "Bearer ")).status()).isEqualTo(403);
        assertThat(ran).hasValue(0);
    }
}
