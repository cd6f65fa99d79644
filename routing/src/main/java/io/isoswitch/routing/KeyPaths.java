package io.isoswitch.routing;

import tools.jackson.core.JacksonException;

/**
 * The key path of a YAML or JSON mapping error as the file writes it ({@code routes[0].primry},
 * {@code journal.urll}), for error messages that name what to fix. It lives here, the lowest
 * module that reads configuration files with Jackson; the switch's own configuration uses it too.
 */
public final class KeyPaths {
    private KeyPaths() {
    }

    /** The path of the key {@code e} failed at; empty where Jackson knows none. */
    public static String of(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
