package io.isoswitch.codec.tlv;

import java.util.HashMap;
import java.util.Map;

/**
 * The EMV tags a switch meets in field 55, with their names (EMV 4.x Book 3 Annex A, and the
 * UnionPay additions listed in cup-pos.md section 11) and which of them are card data.
 *
 * <p>Sensitive tags hold what PCI DSS calls cardholder or sensitive authentication data: the PAN
 * (5A), track images (56, 57, 9F1F, 9F20, 9F6B), the cardholder name (5F20, 9F0B), the expiry
 * (5F24) and the service code (5F30). A describer masks them. Tags missing here are masked too (see
 * {@link TlvDescriber}): a tag we cannot name we cannot vouch for.
 */
public final class EmvTags {
    private static final Map<Integer, EmvTag> BY_TAG = new HashMap<>();

    static {
        sensitive(0x56, "Track 1 Data");
        sensitive(0x57, "Track 2 Equivalent Data");
        sensitive(0x5A, "Application Primary Account Number (PAN)");
        sensitive(0x5F20, "Cardholder Name");
        sensitive(0x5F24, "Application Expiration Date");
        sensitive(0x5F30, "Service Code");
        sensitive(0x9F0B, "Cardholder Name Extended");
        sensitive(0x9F1F, "Track 1 Discretionary Data");
        sensitive(0x9F20, "Track 2 Discretionary Data");
        sensitive(0x9F6B, "Track 2 Data");

        plain(0x4F, "Application Identifier (AID) - card");
        plain(0x50, "Application Label");
        plain(0x5F25, "Application Effective Date");
        plain(0x5F28, "Issuer Country Code");
        plain(0x5F2A, "Transaction Currency Code");
        plain(0x5F2D, "Language Preference");
        plain(0x5F34, "Application PAN Sequence Number");
        plain(0x6F, "File Control Information (FCI) Template");
        plain(0x70, "READ RECORD Response Message Template");
        plain(0x71, "Issuer Script Template 1");
        plain(0x72, "Issuer Script Template 2");
        plain(0x77, "Response Message Template Format 2");
        plain(0x80, "Response Message Template Format 1");
        plain(0x82, "Application Interchange Profile");
        plain(0x84, "Dedicated File (DF) Name");
        plain(0x86, "Issuer Script Command");
        plain(0x89, "Authorisation Code");
        plain(0x8A, "Authorisation Response Code");
        plain(0x8E, "Cardholder Verification Method (CVM) List");
        plain(0x91, "Issuer Authentication Data");
        plain(0x95, "Terminal Verification Results");
        plain(0x9A, "Transaction Date");
        plain(0x9B, "Transaction Status Information");
        plain(0x9C, "Transaction Type");
        plain(0x9F01, "Acquirer Identifier");
        plain(0x9F02, "Amount, Authorised (Numeric)");
        plain(0x9F03, "Amount, Other (Numeric)");
        plain(0x9F06, "Application Identifier (AID) - terminal");
        plain(0x9F07, "Application Usage Control");
        plain(0x9F08, "Application Version Number - card");
        plain(0x9F09, "Application Version Number - terminal");
        plain(0x9F0D, "Issuer Action Code - Default");
        plain(0x9F0E, "Issuer Action Code - Denial");
        plain(0x9F0F, "Issuer Action Code - Online");
        plain(0x9F10, "Issuer Application Data");
        plain(0x9F11, "Issuer Code Table Index");
        plain(0x9F12, "Application Preferred Name");
        plain(0x9F15, "Merchant Category Code");
        plain(0x9F16, "Merchant Identifier");
        plain(0x9F1A, "Terminal Country Code");
        plain(0x9F1B, "Terminal Floor Limit");
        plain(0x9F1C, "Terminal Identification");
        plain(0x9F1E, "Interface Device (IFD) Serial Number");
        plain(0x9F21, "Transaction Time");
        plain(0x9F26, "Application Cryptogram");
        plain(0x9F27, "Cryptogram Information Data");
        plain(0x9F33, "Terminal Capabilities");
        plain(0x9F34, "Cardholder Verification Method (CVM) Results");
        plain(0x9F35, "Terminal Type");
        plain(0x9F36, "Application Transaction Counter (ATC)");
        plain(0x9F37, "Unpredictable Number");
        plain(0x9F39, "Point-of-Service (POS) Entry Mode");
        plain(0x9F40, "Additional Terminal Capabilities");
        plain(0x9F41, "Transaction Sequence Counter");
        plain(0x9F42, "Application Currency Code");
        plain(0x9F4C, "ICC Dynamic Number");
        plain(0x9F53, "Transaction Category Code");
        plain(0x9F5B, "Issuer Script Results");
        plain(0x9F63, "Card Product Identification Information (UnionPay)");
        plain(0x9F66, "Terminal Transaction Qualifiers");
        plain(0x9F6C, "Card Transaction Qualifiers");
        plain(0x9F6E, "Form Factor Indicator / Third Party Data");
        plain(0x9F74, "VLP Issuer Authorisation Code");
        plain(0x9F7C, "Customer Exclusive Data");
        plain(0xDF31, "Issuer Script Results (UnionPay)");
    }

    private EmvTags() {
    }

    private static void sensitive(int tag, String name) {
        BY_TAG.put(tag, new EmvTag(tag, name, true));
    }

    private static void plain(int tag, String name) {
        BY_TAG.put(tag, new EmvTag(tag, name, false));
    }

    /** The dictionary entry, or {@code null} for a tag not listed. */
    public static EmvTag find(int tag) {
        return BY_TAG.get(tag);
    }

    /** The EMV name, or {@code "unknown"} for a tag not listed. */
    public static String nameOf(int tag) {
        EmvTag entry = BY_TAG.get(tag);
        return entry == null ? "unknown" : entry.name();
    }

    /** Whether a describer must mask the value: listed as card data, or not listed at all. */
    public static boolean mustMask(int tag) {
        EmvTag entry = BY_TAG.get(tag);
        return entry == null || entry.sensitive();
    }

    /** Every listed tag (an unmodifiable copy). */
    public static Map<Integer, EmvTag> all() {
        return Map.copyOf(BY_TAG);
    }
}
