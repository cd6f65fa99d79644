package io.isoswitch.core.ops;

import java.nio.charset.StandardCharsets;

/**
 * What an ops endpoint answers: status, content type and body.
 *
 * @param status      HTTP status code
 * @param contentType the Content-Type header
 * @param body        the body bytes
 */
public record OpsResponse(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static OpsResponse json(int status, String json) {
        return new OpsResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static OpsResponse text(int status, String text) {
        return new OpsResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }
}
