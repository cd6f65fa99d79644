package io.isoswitch.codec.cup;

import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.codec.tlv.TlvReader;
import io.isoswitch.codec.tlv.TlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field 62 of the UnionPay POS EMV downloads (cup-pos.md 7.1): IC CA public keys (60.3 372 status
 * upload, 370 download, 371 end) and IC parameters, one set per AID (382, 380, 381). Reads and
 * builds the bytes; knows nothing of where the keys come from.
 *
 * <pre>
 * status upload request (0820 372 / 382)   '1' n2            ASCII: '1', then how many entries the
 *                                                            terminal already holds from earlier pages
 * status upload answer  (0830)             flag entries...   flag '0' none, '1' last page, '2' more
 *                                                            pages follow (ask again with the count)
 *     key entry   9F06 05 RID  9F22 01 index  DF05 08 expiry YYYYMMDD (ASCII)
 *     AID entry   9F06 len AID
 * download request      (0800 370 / 380)   key: 9F06 05 RID 9F22 01 index;  AID: 9F06 len AID
 * download answer       (0810)             '1' then the key's or AID's TLVs
 * </pre>
 *
 * TLVs are BER-TLV (the tags are EMV's and UnionPay's private DFxx), so they are read with the
 * field 55 reader; every malformed input, whatever it is, is a {@link TlvException} labelled
 * {@code 62}, and no value bytes go into its message.
 */
public final class EmvDownloadField {
    /** Label of field 62 in error paths. */
    public static final String FIELD = "62";
    /** Status answer flag: the host holds nothing (more) of this kind. */
    public static final byte NONE = '0';
    /** Status answer flag: these are the last entries; download answer flag: here it is. */
    public static final byte LAST = '1';
    /** Status answer flag: more entries follow, ask again. */
    public static final byte MORE = '2';

    public static final int TAG_RID_OR_AID = 0x9F06;
    public static final int TAG_KEY_INDEX = 0x9F22;
    public static final int TAG_KEY_EXPIRY = 0xDF05;

    private static final int RID_BYTES = 5;
    private static final int MIN_AID_BYTES = 5;
    private static final int MAX_AID_BYTES = 16;
    private static final int STATUS_REQUEST_BYTES = 3;

    private EmvDownloadField() {
    }

    /** A CA public key as a download request names it. */
    public record KeyName(byte[] rid, int index) {
        /** RID and index as hex, e.g. {@code A000000333/08}, for logs and lookups. */
        public String hex() {
            return ByteBufUtil.hexDump(rid).toUpperCase(java.util.Locale.ROOT) + "/" + String.format("%02X", index);
        }
    }

    /** One page of a status answer: its flag and its entries, each a map tag -> value in wire order. */
    public record StatusPage(byte flag, List<Map<Integer, byte[]>> entries) {
        /** Whether the host says more entries follow. */
        public boolean more() {
            return flag == MORE;
        }
    }

    /** The status upload request asking for entries from {@code alreadyHeld} on. */
    public static byte[] statusRequest(int alreadyHeld) {
        if (alreadyHeld < 0 || alreadyHeld > 99) {
            throw new IllegalArgumentException("alreadyHeld must be 0 to 99, was " + alreadyHeld);
        }
        return String.format("1%02d", alreadyHeld).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * How many entries the terminal already holds: the n2 after the leading '1'. A request without
     * field 62 (null or empty) asks from the start.
     */
    public static int readStatusRequest(byte[] field62) {
        if (field62 == null || field62.length == 0) {
            return 0;
        }
        if (field62.length != STATUS_REQUEST_BYTES || field62[0] != '1' || !digit(field62[1]) || !digit(field62[2])) {
            throw new TlvException(FIELD, 0, "3 ASCII characters '1' and two digits", field62.length + " bytes of another form");
        }
        return (field62[1] - '0') * 10 + (field62[2] - '0');
    }

    /** A status answer: the flag, then the entries' TLVs as they are (each already encoded). */
    public static byte[] statusAnswer(byte flag, List<byte[]> encodedEntries) {
        int length = 1 + encodedEntries.stream().mapToInt(e -> e.length).sum();
        byte[] out = new byte[length];
        out[0] = flag;
        int at = 1;
        for (byte[] entry : encodedEntries) {
            System.arraycopy(entry, 0, out, at, entry.length);
            at += entry.length;
        }
        return out;
    }

    /** Reads a status answer; an entry starts at each 9F06. */
    public static StatusPage readStatusAnswer(byte[] field62) {
        byte flag = flag(field62);
        if (flag != NONE && flag != LAST && flag != MORE) {
            throw new TlvException(FIELD, 0, "flag '0', '1' or '2'", "byte 0x" + String.format("%02X", flag & 0xFF));
        }
        List<Map<Integer, byte[]>> entries = new ArrayList<>();
        Map<Integer, byte[]> current = null;
        for (Map.Entry<Integer, byte[]> element : readElements(field62, 1)) {
            if (element.getKey() == TAG_RID_OR_AID) {
                current = new LinkedHashMap<>();
                entries.add(current);
            } else if (current == null) {
                throw new TlvException(FIELD + " -> " + Integer.toHexString(element.getKey()).toUpperCase(java.util.Locale.ROOT), 1,
                        "an entry starting with 9F06", "another tag first");
            }
            current.put(element.getKey(), element.getValue());
        }
        return new StatusPage(flag, entries);
    }

    /** A key download request: 9F06 RID, 9F22 index. */
    public static byte[] keyRequest(byte[] rid, int index) {
        return tlvs(Map.of(TAG_RID_OR_AID, rid), Map.of(TAG_KEY_INDEX, new byte[] {(byte) index}));
    }

    /** Reads a key download request; both tags present, RID 5 bytes, index 1 byte. */
    public static KeyName readKeyRequest(byte[] field62) {
        Map<Integer, byte[]> tags = readTags(field62, 0);
        byte[] rid = require(tags, TAG_RID_OR_AID, RID_BYTES, RID_BYTES);
        byte[] index = require(tags, TAG_KEY_INDEX, 1, 1);
        return new KeyName(rid, index[0] & 0xFF);
    }

    /** An AID download request: 9F06 AID. */
    public static byte[] aidRequest(byte[] aid) {
        return tlvs(Map.of(TAG_RID_OR_AID, aid));
    }

    /** Reads an AID download request: 9F06 of 5 to 16 bytes. */
    public static byte[] readAidRequest(byte[] field62) {
        return require(readTags(field62, 0), TAG_RID_OR_AID, MIN_AID_BYTES, MAX_AID_BYTES);
    }

    /** A download answer: '1' and the TLVs. */
    public static byte[] downloadAnswer(byte[] encodedTlvs) {
        return statusAnswer(LAST, List.of(encodedTlvs));
    }

    /** Reads a download answer: the flag must be '1'; the TLVs by tag in wire order. */
    public static Map<Integer, byte[]> readDownloadAnswer(byte[] field62) {
        byte flag = flag(field62);
        if (flag != LAST) {
            throw new TlvException(FIELD, 0, "flag '1'", "byte 0x" + String.format("%02X", flag & 0xFF));
        }
        return readTags(field62, 1);
    }

    /** Encodes tag -> value maps, in order, as BER-TLV. */
    @SafeVarargs
    public static byte[] tlvs(Map<Integer, byte[]>... groups) {
        ByteBuf out = Unpooled.buffer();
        TlvWriter writer = new TlvWriter().wrap(out);
        for (Map<Integer, byte[]> group : groups) {
            group.forEach(writer::put);
        }
        return ByteBufUtil.getBytes(out);
    }

    private static byte flag(byte[] field62) {
        if (field62 == null || field62.length == 0) {
            throw new TlvException(FIELD, 0, "a flag byte", "no bytes");
        }
        return field62[0];
    }

    /** The elements from {@code offset} by tag, one each (a repeated tag is malformed here). */
    private static Map<Integer, byte[]> readTags(byte[] field62, int offset) {
        Map<Integer, byte[]> tags = new LinkedHashMap<>();
        for (Map.Entry<Integer, byte[]> element : readElements(field62, offset)) {
            if (tags.put(element.getKey(), element.getValue()) != null) {
                throw new TlvException(FIELD + " -> " + Integer.toHexString(element.getKey()).toUpperCase(java.util.Locale.ROOT),
                        offset, "each tag once", "a repeated tag");
            }
        }
        return tags;
    }

    /** Every element from {@code offset} in wire order; constructed elements are not expected here. */
    private static List<Map.Entry<Integer, byte[]>> readElements(byte[] field62, int offset) {
        if (field62 == null) {
            throw new TlvException(FIELD, 0, "field 62", "none");
        }
        ByteBuf buffer = Unpooled.wrappedBuffer(field62);
        TlvReader reader = new TlvReader().wrap(FIELD, buffer, offset, field62.length - offset);
        List<Map.Entry<Integer, byte[]>> elements = new ArrayList<>();
        while (reader.next()) {
            if (reader.isConstructed()) {
                throw new TlvException(reader.tagPath(), reader.elementOffset(), "a primitive element", "a constructed one");
            }
            byte[] value = new byte[reader.valueLength()];
            reader.copyValue(value, 0);
            elements.add(Map.entry(reader.tag(), value));
        }
        return elements;
    }

    private static byte[] require(Map<Integer, byte[]> tags, int tag, int min, int max) {
        byte[] value = tags.get(tag);
        String path = FIELD + " -> " + Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
        if (value == null) {
            throw new TlvException(path, 0, "the tag", "none");
        }
        if (value.length < min || value.length > max) {
            throw new TlvException(path, 0, min == max ? min + " bytes" : min + " to " + max + " bytes", value.length + " bytes");
        }
        return value;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
