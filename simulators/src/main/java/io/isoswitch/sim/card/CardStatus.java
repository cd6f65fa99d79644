package io.isoswitch.sim.card;

import java.util.Locale;

/** The issuer's status of a card; anything but {@link #ACTIVE} declines with its own code. */
public enum CardStatus {
    ACTIVE,
    LOST,
    STOLEN,
    EXPIRED,
    BLOCKED;

    /** The lower-case name used in card files. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a card file's status column, case-insensitively. */
    public static CardStatus fromFileName(String text) {
        for (CardStatus status : values()) {
            if (status.name().equalsIgnoreCase(text.strip())) {
                return status;
            }
        }
        throw new IllegalArgumentException("status: expected one of active, lost, stolen, expired, blocked, found '"
                + text + "'");
    }
}
