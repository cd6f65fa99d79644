package io.isoswitch.codec.cup;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.testkit.gen.Gens;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The read path of field 62 on bytes a terminal or a host might send: random bytes and public
 * answers with one byte changed and cut anywhere either read or throw {@link TlvException}, never
 * anything else (an index or a negative-size error would take a connection down).
 */
class EmvDownloadFieldProperties {
    private static final byte[] KEY_ANSWER = ByteBufUtil.decodeHexDump(EmvDownloadFieldTest.PUBLIC_KEY_DOWNLOAD_ANSWER);
    private static final byte[] STATUS_ANSWER = ByteBufUtil.decodeHexDump(EmvDownloadFieldTest.PUBLIC_KEY_STATUS_ANSWER);

    @Test
    void randomBytesReadOrThrowOnlyTheCodecsError() {
        qt().withExamples(1000).forAll(Gens.byteArrays(0, 64)).checkAssert(EmvDownloadFieldProperties::everyReader);
    }

    @Test
    void mutatedAndCutKeyAnswersThrowOnlyTheCodecsError() {
        qt().withExamples(1000).forAll(integers().between(0, KEY_ANSWER.length - 1), Gens.bytes(),
                integers().between(0, KEY_ANSWER.length)).checkAssert((position, replacement, cut) -> {
                    byte[] bytes = KEY_ANSWER.clone();
                    bytes[position] = replacement;
                    everyReader(Arrays.copyOf(bytes, cut));
                });
    }

    @Test
    void mutatedAndCutStatusAnswersThrowOnlyTheCodecsError() {
        qt().withExamples(1000).forAll(integers().between(0, STATUS_ANSWER.length - 1), Gens.bytes(),
                integers().between(0, STATUS_ANSWER.length)).checkAssert((position, replacement, cut) -> {
                    byte[] bytes = STATUS_ANSWER.clone();
                    bytes[position] = replacement;
                    everyReader(Arrays.copyOf(bytes, cut));
                });
    }

    private static void everyReader(byte[] bytes) {
        readOrTypedError(EmvDownloadField::readStatusRequest, bytes);
        readOrTypedError(EmvDownloadField::readStatusAnswer, bytes);
        readOrTypedError(EmvDownloadField::readKeyRequest, bytes);
        readOrTypedError(EmvDownloadField::readAidRequest, bytes);
        readOrTypedError(EmvDownloadField::readDownloadAnswer, bytes);
        readOrTypedError(ParameterDownloadField::read, bytes);
    }

    private static void readOrTypedError(Consumer<byte[]> reader, byte[] bytes) {
        try {
            reader.accept(bytes.clone());
        } catch (TlvException expected) {
            // the one error a reader may throw
        }
    }
}
