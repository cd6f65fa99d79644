package io.isoswitch.codec.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmvTagsTest {
    @Test
    void namesEveryTagOfTheUnionPayRequestAndResponseSets() {
        int[] cupSet = {0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A, 0x82,
            0x9F1A, 0x9F03, 0x9F33, 0x9F34, 0x9F35, 0x9F1E, 0x84, 0x9F09, 0x9F41, 0x9F63, 0x91, 0x71, 0x72,
            0x5F34, 0x9F6E};
        for (int tag : cupSet) {
            assertThat(EmvTags.find(tag)).as(BerTags.toHex(tag)).isNotNull();
            assertThat(EmvTags.mustMask(tag)).as(BerTags.toHex(tag)).isFalse();
        }
        assertThat(EmvTags.nameOf(0x9F26)).isEqualTo("Application Cryptogram");
    }

    @Test
    void marksCardDataAndUnknownTagsForMasking() {
        for (int tag : new int[] {0x57, 0x5A, 0x5F20, 0x9F1F, 0x9F6B, 0x56, 0x5F24, 0x9F20}) {
            assertThat(EmvTags.find(tag).sensitive()).as(BerTags.toHex(tag)).isTrue();
        }
        assertThat(EmvTags.mustMask(0xDF7F)).isTrue();
        assertThat(EmvTags.nameOf(0xDF7F)).isEqualTo("unknown");
    }

    @Test
    void holdsOnlyWellFormedTags() {
        assertThat(EmvTags.all().values()).allSatisfy(t -> assertThat(BerTags.isWellFormed(t.tag())).isTrue());
        assertThat(EmvTags.all()).hasSizeGreaterThan(60);
    }

    @Test
    void parsesAndPrintsTagHex() {
        assertThat(BerTags.parseHex("9f26")).isEqualTo(0x9F26);
        assertThat(BerTags.toHex(0x5A)).isEqualTo("5A");
        assertThat(BerTags.toHex(0xDF8101)).isEqualTo("DF8101");
        assertThat(BerTags.isConstructed(0xBF0C)).isTrue();
        assertThatThrownBy(() -> BerTags.parseHex("9F")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BerTags.parseHex("5A26")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BerTags.parseHex("XY")).isInstanceOf(IllegalArgumentException.class);
    }
}
