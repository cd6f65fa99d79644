package io.isoswitch.codec.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.isoswitch.testkit.gen.Gens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws of the BER-TLV reader and writer, on generated trees and on random and mutated bytes. */
class TlvProperties {
    private static final int[] PRIMITIVE_TAGS = {0x5A, 0x57, 0x95, 0x9A, 0x9F26, 0x9F10, 0x5F2A, 0xDF8101, 0x9F7F};
    private static final int[] CONSTRUCTED_TAGS = {0x70, 0x71, 0x72, 0xBF0C, 0xFF8101};
    /** Value lengths up to 300, often on either side of where the length field grows a byte. */
    private static final Gen<Integer> VALUE_LENGTHS = Gens.withEdgeCases(Gens.sizes(0, 300), List.of(127, 128, 255, 256));

    /** A generated element: a primitive with a value, or a constructed one with children. */
    record Node(int tag, byte[] value, List<Node> children) {
        @Override
        public String toString() {
            return Integer.toHexString(tag) + (children == null ? "=" + Gens.hex(value) : children.toString());
        }
    }

    @Test
    void tlvReadThenWriteIsIdentity() {
        qt().withExamples(300).forAll(trees()).checkAssert(tree -> {
            ByteBuf original = PooledByteBufAllocator.DEFAULT.directBuffer();
            ByteBuf rewritten = PooledByteBufAllocator.DEFAULT.heapBuffer();
            try {
                TlvWriter writer = new TlvWriter().wrap(original);
                tree.forEach(node -> write(writer, node));
                TlvReader reader = new TlvReader().wrap(original, 0, original.readableBytes());
                assertThat(readTree(reader)).usingRecursiveComparison().isEqualTo(tree);
                rewrite(reader.rewind(), new TlvWriter().wrap(rewritten), 0);
                assertThat(ByteBufUtil.equals(original, rewritten)).isTrue();
            } finally {
                original.release();
                rewritten.release();
            }
        });
    }

    @Test
    void randomBytesEitherParseOrThrowTlvExceptionAndCopyBackUnchanged() {
        qt().withExamples(500).forAll(Gens.byteArrays(0, 80)).checkAssert(TlvProperties::checkArbitraryBytes);
    }

    @Test
    void mutatedFieldFiftyFiveThrowsOnlyTlvException() {
        qt().withExamples(500).forAll(integers().between(0, 131), Gens.bytes(), integers().between(0, 132))
                .checkAssert((position, replacement, truncateTo) -> {
                    byte[] sample = ByteBufUtil.decodeHexDump(Field55Samples.UNIONPAY_QPBOC_PURCHASE);
                    sample[position] = replacement;
                    checkArbitraryBytes(Arrays.copyOf(sample, truncateTo));
                });
    }

    private static void checkArbitraryBytes(byte[] bytes) {
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 1);
        ByteBuf copy = PooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            data.writeBytes(bytes);
            TlvReader reader = new TlvReader().wrap(data, 0, bytes.length);
            boolean wellFormed;
            try {
                int steps = walk(reader, 0);
                // every element takes at least 2 bytes, at each nesting level
                assertThat(steps).isLessThanOrEqualTo(bytes.length * TlvWriter.MAX_DEPTH);
                wellFormed = true;
            } catch (TlvException expected) {
                assertThat(expected.offset()).isBetween(0, bytes.length);
                wellFormed = false;
            }
            assertThat(TlvDescriber.describe(data, 0, bytes.length)).isNotNull();
            if (wellFormed) {
                TlvWriter writer = new TlvWriter().wrap(copy);
                reader.wrap(data, 0, bytes.length);
                while (reader.next()) {
                    writer.copy(reader);
                }
                assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(bytes);
            }
        } finally {
            data.release();
            copy.release();
        }
    }

    /** Visits every element at every level and returns how many it saw. */
    private static int walk(TlvReader reader, int depth) {
        int steps = 0;
        while (reader.next()) {
            steps++;
            if (reader.isConstructed() && depth + 1 < TlvWriter.MAX_DEPTH) {
                steps += walk(new TlvReader().wrapValueOf(reader), depth + 1);
            }
        }
        return steps;
    }

    private static void write(TlvWriter writer, Node node) {
        if (node.children() == null) {
            writer.put(node.tag(), node.value());
        } else {
            writer.begin(node.tag());
            node.children().forEach(child -> write(writer, child));
            writer.end();
        }
    }

    private static List<Node> readTree(TlvReader reader) {
        List<Node> nodes = new ArrayList<>();
        while (reader.next()) {
            if (reader.isConstructed()) {
                nodes.add(new Node(reader.tag(), null, readTree(new TlvReader().wrapValueOf(reader))));
            } else {
                byte[] value = new byte[reader.valueLength()];
                reader.copyValue(value, 0);
                nodes.add(new Node(reader.tag(), value, null));
            }
        }
        return nodes;
    }

    /** Re-encodes what the reader reads: constructed elements from their children, values as read. */
    private static void rewrite(TlvReader reader, TlvWriter writer, int depth) {
        while (reader.next()) {
            if (reader.isConstructed()) {
                writer.begin(reader.tag());
                rewrite(new TlvReader().wrapValueOf(reader), writer, depth + 1);
                writer.end();
            } else {
                writer.put(reader.tag(), reader.value());
            }
        }
    }

    /** Element lists nested up to three constructed levels deep, at most four elements a level. */
    private static Gen<List<Node>> trees() {
        return integers().between(0, 3).flatMap(TlvProperties::treesOfDepth);
    }

    private static Gen<List<Node>> treesOfDepth(int depth) {
        Gen<Node> primitive = tags(PRIMITIVE_TAGS).zip(Gens.byteArrays(VALUE_LENGTHS), (tag, value) -> new Node(tag, value, null));
        if (depth == 0) {
            return Gens.listsOf(primitive, 0, 4);
        }
        Gen<Node> constructed = tags(CONSTRUCTED_TAGS).zip(treesOfDepth(depth - 1), (tag, children) -> new Node(tag, null, children));
        return Gens.listsOf(Generate.oneOf(primitive, constructed), 0, 4);
    }

    private static Gen<Integer> tags(int[] tags) {
        return Generate.pick(Arrays.stream(tags).boxed().toList());
    }
}
