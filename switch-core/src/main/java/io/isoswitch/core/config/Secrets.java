package io.isoswitch.core.config;

/** Masks secrets for logs: whether one is set is useful to ops, its value never is. */
final class Secrets {
    private Secrets() {
    }

    static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "******";
    }

    /** A secret masked, or null when none is set (a configuration that must stay valid keeps null as absent). */
    static String maskOrNull(String secret) {
        return secret == null ? null : "******";
    }

    /** A JDBC URL with any {@code password=} parameter masked (PostgreSQL accepts one in the URL). */
    static String maskUrl(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1******");
    }
}
