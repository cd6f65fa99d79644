package io.isoswitch.core.emv;

import io.isoswitch.codec.cup.EmvDownloadField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminal parameters of one EMV application (AID), as a UnionPay POS IC parameter download
 * (0810, 60.3 380) carries them, written in the EMV parameters file as hex. Each value's length is
 * checked when built; what the values mean is the acquirer's and the scheme's business.
 *
 * @param aid                         9F06, 5 to 16 bytes
 * @param selectionIndicator          DF01, application selection indicator (00 partial match allowed); default 00
 * @param applicationVersion          9F08, 2 bytes (public hosts send 9F08; a terminal may read it as 9F09)
 * @param tacDefault                  DF11, terminal action code default, 5 bytes
 * @param tacOnline                   DF12, terminal action code online, 5 bytes
 * @param tacDenial                   DF13, terminal action code denial, 5 bytes
 * @param floorLimit                  9F1B, terminal floor limit, 4 bytes
 * @param randomSelectionThreshold    DF15, threshold for biased random selection, 4 bytes
 * @param maxTargetPercentage         DF16, 1 byte
 * @param targetPercentage            DF17, 1 byte
 * @param defaultDdol                 DF14, default DDOL, up to 252 bytes
 * @param onlinePin                   DF18, online PIN supported (01) or not (00)
 * @param ecTransactionLimit          9F7B, electronic cash terminal transaction limit, n12 (6 bytes); optional
 * @param contactlessFloorLimit       DF19, n12; optional
 * @param contactlessTransactionLimit DF20, n12; optional
 * @param contactlessCvmLimit         DF21, n12; optional
 */
public record EmvApplication(String aid, String selectionIndicator, String applicationVersion, String tacDefault,
                             String tacOnline, String tacDenial, String floorLimit, String randomSelectionThreshold,
                             String maxTargetPercentage, String targetPercentage, String defaultDdol, String onlinePin,
                             String ecTransactionLimit, String contactlessFloorLimit, String contactlessTransactionLimit,
                             String contactlessCvmLimit) {

    /** One value: its YAML key, tag, length bounds and whether it may be left out. */
    private record Element(String key, int tag, int min, int max, boolean optional) {
    }

    /** In the record's order, which is the order public hosts send them (9F06 first). */
    private static final List<Element> ELEMENTS = List.of(
            new Element("aid", 0x9F06, 5, 16, false),
            new Element("selectionIndicator", 0xDF01, 1, 1, false),
            new Element("applicationVersion", 0x9F08, 2, 2, false),
            new Element("tacDefault", 0xDF11, 5, 5, false),
            new Element("tacOnline", 0xDF12, 5, 5, false),
            new Element("tacDenial", 0xDF13, 5, 5, false),
            new Element("floorLimit", 0x9F1B, 4, 4, false),
            new Element("randomSelectionThreshold", 0xDF15, 4, 4, false),
            new Element("maxTargetPercentage", 0xDF16, 1, 1, false),
            new Element("targetPercentage", 0xDF17, 1, 1, false),
            new Element("defaultDdol", 0xDF14, 0, 252, false),
            new Element("onlinePin", 0xDF18, 1, 1, false),
            new Element("ecTransactionLimit", 0x9F7B, 6, 6, true),
            new Element("contactlessFloorLimit", 0xDF19, 6, 6, true),
            new Element("contactlessTransactionLimit", 0xDF20, 6, 6, true),
            new Element("contactlessCvmLimit", 0xDF21, 6, 6, true));

    public EmvApplication {
        selectionIndicator = selectionIndicator == null ? "00" : selectionIndicator;
        aid = Hex.format(Hex.parse("aid", aid, 5, 16));
        tags(aid + ": ", new String[] {aid, selectionIndicator, applicationVersion, tacDefault, tacOnline, tacDenial,
                floorLimit, randomSelectionThreshold, maxTargetPercentage, targetPercentage, defaultDdol, onlinePin,
                ecTransactionLimit, contactlessFloorLimit, contactlessTransactionLimit, contactlessCvmLimit});
    }

    /** The entry of a status upload answer: 9F06 only. */
    byte[] statusEntry() {
        return EmvDownloadField.aidRequest(Hex.parse("aid", aid, 5, 16));
    }

    /** The TLVs of a download answer. */
    byte[] downloadTlvs() {
        return EmvDownloadField.tlvs(tags(aid + ": ", new String[] {aid, selectionIndicator, applicationVersion, tacDefault,
                tacOnline, tacDenial, floorLimit, randomSelectionThreshold, maxTargetPercentage, targetPercentage, defaultDdol,
                onlinePin, ecTransactionLimit, contactlessFloorLimit, contactlessTransactionLimit, contactlessCvmLimit}));
    }

    /** The values (in {@link #ELEMENTS} order) as tag -> bytes, each checked; names every required one missing. */
    private static Map<Integer, byte[]> tags(String where, String[] values) {
        Map<Integer, byte[]> tags = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ELEMENTS.size(); i++) {
            Element element = ELEMENTS.get(i);
            String value = values[i];
            if (value == null) {
                if (!element.optional()) {
                    missing.add(element.key());
                }
                continue;
            }
            tags.put(element.tag(), Hex.parse(where + element.key(), value, element.min(), element.max()));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(where + "missing " + String.join(", ", missing));
        }
        return tags;
    }
}
