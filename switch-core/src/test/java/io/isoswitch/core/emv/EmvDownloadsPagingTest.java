package io.isoswitch.core.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.cup.EmvDownloadField;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Status upload answers in pages that fit a 512-byte field 62. */
class EmvDownloadsPagingTest {
    private static final List<byte[]> ENTRIES = IntStream.range(0, 30).mapToObj(i -> new byte[23]).toList();

    @Test
    void aLongListGoesInPagesEachWithinTheLimit() {
        byte[] first = EmvDownloads.page(ENTRIES, e -> e, 0);
        assertThat(first).hasSize(1 + 22 * 23);
        assertThat(first[0]).isEqualTo(EmvDownloadField.MORE);
        byte[] second = EmvDownloads.page(ENTRIES, e -> e, 22);
        assertThat(second).hasSize(1 + 8 * 23);
        assertThat(second[0]).isEqualTo(EmvDownloadField.LAST);
    }

    @Test
    void nothingFromTheEndOrInAnEmptyListIsFlagZero() {
        assertThat(EmvDownloads.page(ENTRIES, e -> e, 30)).containsExactly(EmvDownloadField.NONE);
        assertThat(EmvDownloads.page(List.<byte[]>of(), e -> e, 0)).containsExactly(EmvDownloadField.NONE);
    }
}
