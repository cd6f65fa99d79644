package io.isoswitch.core.config;

/** A configuration value that cannot be used: names the key, the value and what was expected. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new ConfigException(key + " = " + value + ": expected " + expected);
        }
    }

}
