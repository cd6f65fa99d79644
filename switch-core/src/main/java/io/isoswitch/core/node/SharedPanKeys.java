package io.isoswitch.core.node;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.security.Hsm;
import io.isoswitch.settlement.store.PanKeyCheck;
import io.isoswitch.settlement.store.PanKeyCheck.KeyNames;
import io.isoswitch.settlement.store.PanKeyCheck.Recorded;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds every node of a journal database to the same PAN keys. A node with other keys would give a
 * card another token than the other nodes do (its limits and stand-in allowances counted twice,
 * repeats and reversals not matched across nodes) and write PAN ciphertexts the others cannot
 * decrypt (queued reversals stuck), and nothing would say so. So at start, before the node writes
 * anything, its keys are compared with the ones recorded in the journal database ({@link PanKeyCheck}):
 * the first node records its own, every later one must match them or is refused with a
 * {@link ConfigException} that says which key differs and how to use the right one.
 *
 * <p>A journal written before the check was there has no recorded keys: its records' data key
 * (that of the latest business date's) must be this node's, or it is refused too; its token key
 * cannot be told from the records, so the first node to start after the upgrade defines it.
 */
final class SharedPanKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPanKeys.class);
    /**
     * What the token key is named by, through its token of it: 19 digits that fail the Luhn check,
     * so no card the switch accepts has this number (nor, therefore, this token).
     */
    static final String PROBE = "0000000000000000001";

    private SharedPanKeys() {
    }

    /** The names of {@code keys}: their token of {@link #PROBE}, and the data key's check value as the journal records it. */
    static KeyNames namesOf(PanKeys keys, Hsm hsm) {
        return new KeyNames(hsm.panToken(keys.tokenKey(), PROBE), keys.dataKey().kcv());
    }

    /**
     * Records {@code keys} as the journal's where no node has yet, and otherwise refuses them unless
     * they are the recorded ones.
     *
     * @throws ConfigException where they are not the journal's
     */
    static void require(PanKeys keys, Hsm hsm, PanKeyCheck check, String nodeId) {
        KeyNames mine = namesOf(keys, hsm);
        Optional<Recorded> recorded = check.recorded().join();
        if (recorded.isEmpty()) {
            requireTheDataKeyOfEarlierRecords(keys, mine, check);
            // another node starting at once may record first: then its keys are the ones to match
            recorded = Optional.of(check.recordUnlessRecorded(mine, nodeId).join());
        }
        Recorded journals = recorded.get();
        if (!journals.keys().equals(mine)) {
            throw new ConfigException("PAN keys: this node's are not the ones the journal database's records are made under"
                    + " (recorded by node " + journals.nodeId() + " at " + journals.recordedAt() + "): "
                    + differences(mine, journals.keys()) + "; every node must use the same two: "
                    + howToUseTheKeysOf("node " + journals.nodeId(), keys));
        }
        LOG.info("PAN keys: data key {} and the token key are the journal database's (recorded by node {} at {})",
                mine.dataKeyId(), journals.nodeId(), journals.recordedAt());
    }

    /** Where records were written before any node recorded its keys, their data key must be this node's. */
    private static void requireTheDataKeyOfEarlierRecords(PanKeys keys, KeyNames mine, PanKeyCheck check) {
        Optional<String> earlier = check.journalDataKeyId().join();
        if (earlier.isPresent() && !earlier.get().equals(mine.dataKeyId())) {
            throw new ConfigException("PAN keys: this node's data key (security.panDataKey) has check value " + mine.dataKeyId()
                    + ", but the journal database's records are encrypted under " + earlier.get()
                    + " (written before nodes recorded their PAN keys); every node must use the same two: "
                    + howToUseTheKeysOf("a node that wrote those records", keys));
        }
    }

    private static String differences(KeyNames mine, KeyNames journals) {
        List<String> differ = new ArrayList<>(2);
        if (!mine.probeToken().equals(journals.probeToken())) {
            differ.add("its token key (security.panTokenKey) makes other card tokens");
        }
        if (!mine.dataKeyId().equals(journals.dataKeyId())) {
            differ.add("its data key (security.panDataKey) has check value " + mine.dataKeyId() + ", not " + journals.dataKeyId());
        }
        return String.join(" and ", differ);
    }

    /** What to do, as this node finds its keys (in its configuration, or in the file beside its LMK). */
    private static String howToUseTheKeysOf(String node, PanKeys keys) {
        return keys.file() == null
                ? "set security.panTokenKey and security.panDataKey to the key blocks " + node
                        + " uses (in its configuration, or in the pan-keys.properties beside its LMK file)"
                : "copy the pan-keys.properties beside the LMK file of " + node + " to " + keys.file()
                        + ", or set security.panTokenKey and security.panDataKey to the key blocks " + node + " uses";
    }
}
