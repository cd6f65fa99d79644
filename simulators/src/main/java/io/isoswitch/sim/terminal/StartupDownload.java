package io.isoswitch.sim.terminal;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.cup.EmvDownloadField;
import io.isoswitch.codec.cup.ParameterDownloadField;
import io.isoswitch.codec.tlv.TlvException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a UnionPay EMV terminal does after sign-on before it can read a chip (cup-pos.md 7.1,
 * docs/emv-downloads.md), in the order public terminal code does it: parameter download (0800
 * 360), POS status upload (0820 362), CA public key status upload page by page (0820 372), each key
 * listed (0800 370), key download end (0800 371), then the same for AIDs (382, 380, 381). Like a
 * real terminal it checks each key's SHA-1 checksum before keeping it.
 */
public final class StartupDownload {
    /** Sends one request and returns the switch's answer; empty when none came. */
    @FunctionalInterface
    interface Exchange {
        Optional<IsoMessage> send(String mti, String nmic, byte[] field62);
    }

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final int MAX_PAGES = 10;

    private final Exchange exchange;
    private final Map<String, Map<Integer, byte[]>> caKeys = new LinkedHashMap<>();
    private final Map<String, Map<Integer, byte[]>> applications = new LinkedHashMap<>();
    private Map<String, String> parameters = Map.of();

    StartupDownload(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Runs every step; stops at the first that fails and says which. */
    Result run() {
        try {
            IsoMessage answer = approved("0800", "360", null);
            parameters = ParameterDownloadField.read(answer.getBytes(62));
            approved("0820", "362", null);
            for (Map<Integer, byte[]> entry : statusEntries("372")) {
                byte[] rid = entry.get(EmvDownloadField.TAG_RID_OR_AID);
                int index = entry.get(EmvDownloadField.TAG_KEY_INDEX)[0] & 0xFF;
                Map<Integer, byte[]> key = EmvDownloadField.readDownloadAnswer(
                        approved("0800", "370", EmvDownloadField.keyRequest(rid, index)).getBytes(62));
                String name = HEX.formatHex(rid) + "/" + String.format("%02X", index);
                if (!checksumMatches(key)) {
                    throw new StepFailed("370 " + name, "checksum");
                }
                caKeys.put(name, key);
            }
            approved("0800", "371", null);
            for (Map<Integer, byte[]> entry : statusEntries("382")) {
                byte[] aid = entry.get(EmvDownloadField.TAG_RID_OR_AID);
                applications.put(HEX.formatHex(aid), EmvDownloadField.readDownloadAnswer(
                        approved("0800", "380", EmvDownloadField.aidRequest(aid)).getBytes(62)));
            }
            approved("0800", "381", null);
            return result(null, "00");
        } catch (StepFailed e) {
            return result(e.step, e.code);
        } catch (TlvException | NullPointerException e) {
            // an answer whose field 62 a terminal cannot read: the download failed, the terminal goes on without
            return result("field 62", "");
        }
    }

    /** The status upload of {@code nmic}, page by page until the switch says there is no more. */
    private List<Map<Integer, byte[]>> statusEntries(String nmic) {
        List<Map<Integer, byte[]>> entries = new java.util.ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            EmvDownloadField.StatusPage answer = EmvDownloadField.readStatusAnswer(
                    approved("0820", nmic, EmvDownloadField.statusRequest(entries.size())).getBytes(62));
            entries.addAll(answer.entries());
            if (!answer.more() || answer.entries().isEmpty()) {
                return entries;
            }
        }
        throw new StepFailed(nmic, "more than " + MAX_PAGES + " pages");
    }

    private IsoMessage approved(String mti, String nmic, byte[] field62) {
        IsoMessage answer = exchange.send(mti, nmic, field62).orElseThrow(() -> new StepFailed(nmic, ""));
        String code = answer.getString(39);
        if (!"00".equals(code)) {
            throw new StepFailed(nmic, code == null ? "" : code);
        }
        return answer;
    }

    /** DF03 = SHA-1(RID | index | modulus | exponent), as terminals check it (EMV Book 2 11.2.2). */
    static boolean checksumMatches(Map<Integer, byte[]> key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int tag : new int[] {0x9F06, 0x9F22, 0xDF02, 0xDF04}) {
                byte[] part = key.get(tag);
                if (part == null) {
                    return false;
                }
                sha1.update(part);
            }
            return key.get(0xDF03) != null && MessageDigest.isEqual(sha1.digest(), key.get(0xDF03));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private Result result(String failedStep, String code) {
        return new Result(failedStep, code, parameters.getOrDefault(ParameterDownloadField.MERCHANT_NAME, ""),
                // in the order the switch listed them (Map.copyOf would lose it)
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(caKeys)),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(applications)));
    }

    /**
     * @param failedStep   the 60.3 code of the step that failed ({@code 370 A000000333/08} for a key
     *                     whose checksum did not match), or null when every step succeeded
     * @param code         the failed step's response code (empty without an answer), 00 when complete
     * @param merchantName code 12 of the parameter download
     * @param caKeys       RID/index -> the key's TLVs
     * @param applications AID -> its parameters' TLVs
     */
    public record Result(String failedStep, String code, String merchantName, Map<String, Map<Integer, byte[]>> caKeys,
                         Map<String, Map<Integer, byte[]>> applications) {
        public boolean complete() {
            return failedStep == null;
        }

        @Override
        public String toString() {
            return complete() ? "EMV downloads complete: " + caKeys.size() + " CA keys " + caKeys.keySet() + ", "
                    + applications.size() + " AIDs " + applications.keySet()
                    : "EMV downloads stopped at " + failedStep + (code.isEmpty() ? " (no answer)" : " (" + code + ")");
        }
    }

    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String step;
        private final String code;

        StepFailed(String step, String code) {
            super(step + " " + code, null, false, false);
            this.step = step;
            this.code = code;
        }
    }
}
