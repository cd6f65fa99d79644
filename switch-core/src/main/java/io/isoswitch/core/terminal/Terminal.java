package io.isoswitch.core.terminal;

import io.isoswitch.core.txn.TransactionType;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A POS terminal allowed to dial in (field 41).
 *
 * @param id           the terminal id, exactly 8 characters
 * @param merchantId   the merchant it belongs to
 * @param dialect      the dialect it speaks ({@code iso87binary}, {@code iso87ascii}, {@code cup-pos})
 * @param tmkKeyBlock  its terminal master key, as a key block under the LMK (never clear)
 * @param allowedTypes the transactions it may send; sign-on, sign-off, echo and the UnionPay start-up downloads are always allowed
 * @param active       false for a blocked terminal: answered, never processed
 */
public record Terminal(String id, String merchantId, String dialect, String tmkKeyBlock, Set<TransactionType> allowedTypes, boolean active) {
    /**
     * Management a terminal needs to start at all: sign-on, sign-off, echo, and the UnionPay
     * start-up downloads (an EMV terminal that cannot load its CA keys and AIDs cannot read a chip);
     * and the script result notification a chip terminal must deliver after any online answer.
     */
    private static final Set<TransactionType> ALWAYS_ALLOWED = EnumSet.of(TransactionType.SIGN_ON, TransactionType.SIGN_OFF,
            TransactionType.ECHO, TransactionType.PARAMETER_DOWNLOAD, TransactionType.POS_STATUS_UPLOAD,
            TransactionType.CA_KEY_STATUS_UPLOAD, TransactionType.CA_KEY_DOWNLOAD, TransactionType.CA_KEY_DOWNLOAD_END,
            TransactionType.AID_STATUS_UPLOAD, TransactionType.AID_DOWNLOAD, TransactionType.AID_DOWNLOAD_END,
            TransactionType.SCRIPT_RESULT);

    public Terminal {
        Objects.requireNonNull(id, "id");
        if (id.length() != 8) {
            throw new IllegalArgumentException("terminal id must be 8 characters, was '" + id + "'");
        }
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(tmkKeyBlock, "tmkKeyBlock");
        allowedTypes = allowedTypes == null || allowedTypes.isEmpty()
                ? EnumSet.allOf(TransactionType.class)
                : Set.copyOf(allowedTypes);
    }

    /** True when this terminal may send a request of {@code type}. */
    public boolean allows(TransactionType type) {
        return ALWAYS_ALLOWED.contains(type) || allowedTypes.contains(type);
    }

    @Override
    public String toString() {
        return "Terminal[id=" + id + ", merchantId=" + merchantId + ", dialect=" + dialect + ", active=" + active + "]";
    }
}
