package io.isoswitch.codec.cup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.tlv.TlvException;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Field 62 of the EMV downloads, against field 62 values a public acquirer host sent to an mPOS
 * SDK's tests (docs/emv-downloads.md names the source): a key status answer listing five keys and
 * a key download answer for UnionPay's test key A000000333/08.
 */
class EmvDownloadFieldTest {
    /** 0830 372 answer's field 62: '1', then RID, index, expiry (ASCII YYYYMMDD) of five keys. */
    static final String PUBLIC_KEY_STATUS_ANSWER = "31"
            + "9f0605a0000000039f220109df05083230313631323331"
            + "9f0605a0000000049f220106df05083230313631323331"
            + "9f0605a0000000659f220114df05083230313631323331"
            + "9f0605a0000003339f22010bdf05083230313631323331"
            + "9f0605a0000003339f220108df05083230323031323331";
    /** 0810 370 answer's field 62 for A000000333/08 (207 bytes). */
    static final String PUBLIC_KEY_DOWNLOAD_ANSWER = "31"
            + "9f0605a0000003339f220108df05083230323031323331df060101df070101"
            + "df028190b61645edfd5498fb246444037a0fa18c0f101ebd8efa54573ce6e6a7fbf63ed21d66340852b0211cf5eef6a1cd989f66"
            + "af21a8eb19dbd8dbc3706d135363a0d683d046304f5a836bc1bc632821afe7a2f75da3c50ac74c545a754562204137169663cfcc"
            + "0b06e67e2109eba41bc67ff20cc8ac80d7b6ee1a95465b3b2657533ea56d92d539e5064360ea4850fed2d1bf"
            + "df040103df0314ee23b616c95c02652ad18860e48787c079e8e85a";

    @Test
    void readsAPublicKeyStatusAnswerEntryByEntry() {
        EmvDownloadField.StatusPage page = EmvDownloadField.readStatusAnswer(ByteBufUtil.decodeHexDump(PUBLIC_KEY_STATUS_ANSWER));
        assertThat(page.flag()).isEqualTo(EmvDownloadField.LAST);
        assertThat(page.more()).isFalse();
        assertThat(page.entries()).hasSize(5);
        Map<Integer, byte[]> last = page.entries().get(4);
        assertThat(ByteBufUtil.hexDump(last.get(0x9F06))).isEqualTo("a000000333");
        assertThat(last.get(0x9F22)).containsExactly(0x08);
        assertThat(new String(last.get(0xDF05), StandardCharsets.US_ASCII)).isEqualTo("20201231");
    }

    @Test
    void readsAPublicKeyDownloadAnswerByTag() {
        Map<Integer, byte[]> tags = EmvDownloadField.readDownloadAnswer(ByteBufUtil.decodeHexDump(PUBLIC_KEY_DOWNLOAD_ANSWER));
        assertThat(tags.keySet()).containsExactly(0x9F06, 0x9F22, 0xDF05, 0xDF06, 0xDF07, 0xDF02, 0xDF04, 0xDF03);
        assertThat(tags.get(0xDF02)).hasSize(144);
        assertThat(ByteBufUtil.hexDump(tags.get(0xDF03))).isEqualTo("ee23b616c95c02652ad18860e48787c079e8e85a");
    }

    @Test
    void statusAnswerIsTheFlagThenTheEntriesAsTheyAre() {
        byte[] entry = EmvDownloadField.aidRequest(ByteBufUtil.decodeHexDump("A000000333010101"));
        byte[] answer = EmvDownloadField.statusAnswer(EmvDownloadField.MORE, List.of(entry, entry));
        assertThat(ByteBufUtil.hexDump(answer).toUpperCase()).isEqualTo("32" + "9F0608A000000333010101".repeat(2));
        EmvDownloadField.StatusPage page = EmvDownloadField.readStatusAnswer(answer);
        assertThat(page.more()).isTrue();
        assertThat(page.entries()).hasSize(2);
    }

    @Test
    void aNoneAnswerHasOnlyItsFlag() {
        EmvDownloadField.StatusPage page = EmvDownloadField.readStatusAnswer(new byte[] {'0'});
        assertThat(page.flag()).isEqualTo(EmvDownloadField.NONE);
        assertThat(page.entries()).isEmpty();
    }

    @Test
    void statusRequestIsAsciiOneAndTheCountAlreadyHeld() {
        assertThat(new String(EmvDownloadField.statusRequest(0), StandardCharsets.US_ASCII)).isEqualTo("100");
        assertThat(EmvDownloadField.readStatusRequest(EmvDownloadField.statusRequest(17))).isEqualTo(17);
        assertThat(EmvDownloadField.readStatusRequest(null)).isZero();
        assertThatThrownBy(() -> EmvDownloadField.readStatusRequest("2x0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(TlvException.class).hasMessageContaining("62");
    }

    @Test
    void keyRequestNamesRidAndIndex() {
        byte[] request = EmvDownloadField.keyRequest(ByteBufUtil.decodeHexDump("A000000333"), 8);
        assertThat(ByteBufUtil.hexDump(request).toUpperCase()).isEqualTo("9F0605A0000003339F220108");
        assertThat(EmvDownloadField.readKeyRequest(request).hex()).isEqualTo("A000000333/08");
    }

    @Test
    void rejectsAKeyRequestWithoutIndexOrWithAShortRid() {
        assertThatThrownBy(() -> EmvDownloadField.readKeyRequest(ByteBufUtil.decodeHexDump("9F0605A000000333")))
                .isInstanceOf(TlvException.class).hasMessageContaining("62 -> 9F22");
        assertThatThrownBy(() -> EmvDownloadField.readKeyRequest(ByteBufUtil.decodeHexDump("9F0604A00000039F220108")))
                .isInstanceOf(TlvException.class).hasMessageContaining("5 bytes");
    }

    @Test
    void rejectsAnAidRequestOfTheWrongLength() {
        assertThatThrownBy(() -> EmvDownloadField.readAidRequest(ByteBufUtil.decodeHexDump("9F0604A0000003")))
                .isInstanceOf(TlvException.class).hasMessageContaining("5 to 16 bytes");
        assertThat(EmvDownloadField.readAidRequest(ByteBufUtil.decodeHexDump("9F0608A000000333010106")))
                .isEqualTo(ByteBufUtil.decodeHexDump("A000000333010106"));
    }

    @Test
    void rejectsADownloadAnswerWhoseFlagIsNotOne() {
        assertThatThrownBy(() -> EmvDownloadField.readDownloadAnswer(new byte[] {'0'}))
                .isInstanceOf(TlvException.class).hasMessageContaining("flag '1'");
        assertThatThrownBy(() -> EmvDownloadField.readDownloadAnswer(new byte[0])).isInstanceOf(TlvException.class);
    }

    @Test
    void rejectsAStatusEntryThatDoesNotStartWith9F06() {
        assertThatThrownBy(() -> EmvDownloadField.readStatusAnswer(ByteBufUtil.decodeHexDump("319F220108")))
                .isInstanceOf(TlvException.class).hasMessageContaining("9F06");
    }
}
