package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.settlement.journal.CardReference;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Whose failure a card that does not decrypt is: the node's when its data key is not the one that
 * encrypted the card or does not work; the entry's own when its ciphertext is corrupt under a key
 * that works.
 */
class QueuedMessagesPanTest {
    private static final String PAN = "4761739001010119";
    private final Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey dataKey = hsm.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);

    private static CardReference card(byte[] ciphertext, SecureKey key) {
        return new CardReference(new byte[32], "476173******0119", ciphertext, key.kcv());
    }

    @Test
    void decryptsACardUnderTheNodesDataKey() {
        QueuedMessages messages = new QueuedMessages(hsm, dataKey, Clock.systemUTC());

        assertThat(messages.pan(card(hsm.encryptPan(dataKey, PAN), dataKey))).isEqualTo(PAN);
        assertThat(messages.pan(CardReference.tokenOnly(new byte[32], "476173******0119"))).isNull();
    }

    @Test
    void aCardUnderADataKeyTheNodeDoesNotHoldIsThatKeysFailureNotTheNodes() {
        SecureKey lost = hsm.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        QueuedMessages messages = new QueuedMessages(hsm, dataKey, Clock.systemUTC());

        assertThatThrownBy(() -> messages.pan(card(hsm.encryptPan(lost, PAN), lost)))
                .isInstanceOfSatisfying(DataKeyUnavailableException.class,
                        e -> assertThat(e.foreignKey()).as("set aside alone: other entries go").isTrue())
                .hasMessageContaining(lost.kcv()).hasMessageContaining(dataKey.kcv()).hasMessageNotContaining(PAN);
    }

    @Test
    void aNodeWithNoDataKeyIsTheNodesFailure() {
        QueuedMessages messages = new QueuedMessages(hsm, null, Clock.systemUTC());

        assertThatThrownBy(() -> messages.pan(card(hsm.encryptPan(dataKey, PAN), dataKey)))
                .isInstanceOfSatisfying(DataKeyUnavailableException.class, e -> assertThat(e.foreignKey()).isFalse())
                .hasMessageNotContaining(PAN);
    }

    @Test
    void aDataKeyTheNodesHsmCannotUseIsTheNodesFailure() {
        // the key block is under another LMK (an LMK rotated without its key blocks): this HSM cannot load it
        Hsm other = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey unreadable = other.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        QueuedMessages messages = new QueuedMessages(hsm, unreadable, Clock.systemUTC());

        assertThatThrownBy(() -> messages.pan(card(other.encryptPan(unreadable, PAN), unreadable)))
                .isInstanceOfSatisfying(DataKeyUnavailableException.class,
                        e -> assertThat(e.foreignKey()).as("every entry would fail: the queue waits").isFalse())
                .hasMessageContaining(unreadable.kcv()).hasCauseInstanceOf(HsmException.class).hasMessageNotContaining(PAN);
    }

    @Test
    void aCorruptCiphertextUnderADataKeyThatWorksIsTheEntrysOwn() {
        byte[] corrupt = hsm.encryptPan(dataKey, PAN);
        corrupt[corrupt.length - 1] ^= 1;
        QueuedMessages messages = new QueuedMessages(hsm, dataKey, Clock.systemUTC());

        assertThatThrownBy(() -> messages.pan(card(corrupt, dataKey)))
                .isInstanceOf(HsmException.class).isNotInstanceOf(DataKeyUnavailableException.class);
        assertThatThrownBy(() -> messages.pan(card(new byte[40], dataKey))).isInstanceOf(HsmException.class);
    }
}
