package io.isoswitch.core.txn;

import java.util.Optional;

/**
 * Maps (MTI, processing code, UnionPay 60.1) to a {@link TransactionType}.
 *
 * <p>ISO 8583:1987 terminals: the MTI's class and the processing code's transaction type (its
 * first two digits) decide: 00 goods and services, 02 void (adjustment), 20 refund (credit), 31
 * balance inquiry, 90-99 network management via 08xx with field 70. UnionPay POS terminals: the
 * message type code in field 60.1 decides (cup-pos.md §5 and §7), because several transactions
 * share an MTI and processing code there.
 */
public final class TransactionClassifier {
    private TransactionClassifier() {
    }

    /**
     * @param mti            four digits
     * @param processingCode field 3 (six digits) or null when absent
     * @param networkCode    the network management information code: field 70 (ISO) or 60.3 (cup-pos); may be null
     * @param cupMessageCode field 60.1 for cup-pos, or null for ISO dialects
     * @return the type, or empty when the combination is not a transaction the switch knows
     */
    public static Optional<TransactionType> classify(String mti, String processingCode, String networkCode, String cupMessageCode) {
        if (mti == null || mti.length() != 4 || !fromAcquirer(mti.charAt(3))) {
            return Optional.empty();
        }
        String messageClass = mti.substring(0, 3);
        if (cupMessageCode != null) {
            return cup(messageClass, networkCode, cupMessageCode);
        }
        String tx = processingCode == null || processingCode.length() < 2 ? null : processingCode.substring(0, 2);
        return Optional.ofNullable(switch (messageClass) {
            case "020" -> tx == null ? null : switch (tx) {
                case "00" -> TransactionType.PURCHASE;
                case "02" -> TransactionType.PURCHASE_VOID;
                case "20" -> TransactionType.REFUND;
                case "31" -> TransactionType.BALANCE_INQUIRY;
                default -> null;
            };
            case "010" -> tx == null ? null : switch (tx) {
                case "00", "03" -> TransactionType.PREAUTH;
                case "02" -> TransactionType.PREAUTH_VOID;
                case "31" -> TransactionType.BALANCE_INQUIRY;
                default -> null;
            };
            case "022" -> TransactionType.PREAUTH_COMPLETION_ADVICE;
            case "040", "042" -> TransactionType.REVERSAL;
            case "050" -> TransactionType.SETTLEMENT;
            case "032" -> TransactionType.BATCH_UPLOAD;
            case "080" -> network(networkCode);
            default -> null;
        });
    }

    /**
     * The MTI's last digit, its origin: a terminal's request comes from the acquirer side (0, or 1
     * for a repeat). 2 to 5 (issuer, issuer repeat, other) are not a POS request, and reading only
     * the first three digits took an issuer-originated 0202 for a purchase.
     */
    private static boolean fromAcquirer(char origin) {
        return origin == '0' || origin == '1';
    }

    private static TransactionType network(String code) {
        if (code == null) {
            return TransactionType.ECHO;
        }
        return switch (code) {
            case "001" -> TransactionType.SIGN_ON;
            case "002" -> TransactionType.SIGN_OFF;
            case "101", "161", "162", "163" -> TransactionType.KEY_EXCHANGE;
            case "301" -> TransactionType.ECHO;
            default -> null;
        };
    }

    private static Optional<TransactionType> cup(String messageClass, String networkCode, String code) {
        return Optional.ofNullable(switch (messageClass) {
            case "020" -> switch (code) {
                case "01" -> TransactionType.BALANCE_INQUIRY;
                case "20" -> TransactionType.PREAUTH_COMPLETION;
                case "21" -> TransactionType.PREAUTH_COMPLETION_VOID;
                case "22" -> TransactionType.PURCHASE;
                case "23" -> TransactionType.PURCHASE_VOID;
                default -> null;
            };
            case "010" -> switch (code) {
                case "10" -> TransactionType.PREAUTH;
                case "11" -> TransactionType.PREAUTH_VOID;
                default -> null;
            };
            case "022" -> switch (code) {
                case "24" -> TransactionType.PREAUTH_COMPLETION_ADVICE;
                case "25" -> TransactionType.REFUND;
                default -> null;
            };
            case "040" -> TransactionType.REVERSAL;
            case "050" -> TransactionType.SETTLEMENT;
            case "032" -> TransactionType.BATCH_UPLOAD;
            case "080" -> networkCode == null ? null : switch (networkCode) {
                case "001", "003", "004", "006" -> TransactionType.SIGN_ON;
                case "360" -> TransactionType.PARAMETER_DOWNLOAD;
                case "370" -> TransactionType.CA_KEY_DOWNLOAD;
                case "371" -> TransactionType.CA_KEY_DOWNLOAD_END;
                case "380" -> TransactionType.AID_DOWNLOAD;
                case "381" -> TransactionType.AID_DOWNLOAD_END;
                default -> null;
            };
            case "082" -> networkCode == null ? null : switch (networkCode) {
                case "002" -> TransactionType.SIGN_OFF;
                case "301" -> TransactionType.ECHO;
                case "362" -> TransactionType.POS_STATUS_UPLOAD;
                case "372" -> TransactionType.CA_KEY_STATUS_UPLOAD;
                case "382" -> TransactionType.AID_STATUS_UPLOAD;
                default -> null;
            };
            // the result of the issuer scripts (71/72) a chip ran after an online answer (cup-pos.md 5, 11)
            case "062" -> "951".equals(networkCode) ? TransactionType.SCRIPT_RESULT : null;
            default -> null;
        });
    }
}
