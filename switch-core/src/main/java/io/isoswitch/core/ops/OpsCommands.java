package io.isoswitch.core.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Operations commands change the running switch, so they take {@code POST} with the configured
 * bearer token ({@code ops.token}); with no token configured they are disabled. The token is
 * compared in constant time and never logged.
 */
public final class OpsCommands {
    private OpsCommands() {
    }

    /**
     * The answer of a command that must write the database while this node cannot reach it (its
     * last lease renewal failed): refused before anything is asked, since the write would fail
     * after a 202 and only the log would say so.
     */
    public static OpsResponse databaseUnreachable() {
        return OpsResponse.text(503, "the journal database cannot be reached from this node (see /ready): nothing changed;"
                + " try again when it is back\n");
    }

    /** {@code command} behind the token check. */
    public static OpsEndpoint protectedBy(String token, OpsEndpoint command) {
        return withToken(token, "POST", command);
    }

    /**
     * A read ({@code GET}) of what ops may see but the world may not (queued reversals, with their
     * amounts), behind the same token as the commands.
     */
    public static OpsEndpoint readableWith(String token, OpsEndpoint read) {
        return withToken(token, "GET", read);
    }

    private static OpsEndpoint withToken(String token, String method, OpsEndpoint endpoint) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return request -> {
            if (token == null || token.isEmpty()) {
                return OpsResponse.text(403, "operations commands are disabled: set ops.token\n");
            }
            if (!method.equals(request.method())) {
                return OpsResponse.text(405, "use " + method + "\n");
            }
            byte[] presented = request.authorization().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(expected, presented)) {
                return OpsResponse.text(401, "a valid bearer token is required\n");
            }
            return endpoint.handle(request);
        };
    }
}
