package io.isoswitch.core.ops;

import java.util.Map;

/**
 * A request to the ops port, reduced to what endpoints need.
 *
 * @param method        HTTP method, upper case
 * @param path          the path without query
 * @param query         query parameters (first value of each)
 * @param authorization the Authorization header, or empty
 */
public record OpsRequest(String method, String path, Map<String, String> query, String authorization) {
    public OpsRequest {
        query = Map.copyOf(query);
        authorization = authorization == null ? "" : authorization;
    }
}
