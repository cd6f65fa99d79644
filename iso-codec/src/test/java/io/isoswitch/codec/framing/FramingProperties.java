package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.isoswitch.codec.cup.CupHeader;
import io.isoswitch.testkit.gen.Gens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws of framing over random bodies, random read boundaries and random or mutated streams. */
class FramingProperties {
    private static final int MAX = 600;

    /** One corruption of a valid stream: a byte replaced, then the stream cut short. */
    record Mutation(int position, byte replacement, int truncateTo) {
    }

    @Test
    void frameThenDeframeIsIdentity() {
        qt().withExamples(300).forAll(headers(), booleans().all(), bodies(), cuts(8, 4000)).checkAssert((header, cupPrefix, bodies, cuts) -> {
            Framing framing = framing(header, cupPrefix);
            EmbeddedChannel encoder = new EmbeddedChannel(framing.encoder());
            List<byte[]> contents = new ArrayList<>();
            for (byte[] body : bodies) {
                byte[] content = cupPrefix ? FrameBytes.concat(new byte[CupHeader.PREFIX_LENGTH], body) : body;
                contents.add(content);
                encoder.writeOutbound(encoder.alloc().buffer().writeBytes(content));
            }
            byte[] stream = drain(encoder);
            Channels.Outcome outcome = Channels.feed(framing, stream, sortedCuts(cuts));
            assertThat(outcome.closed()).isFalse();
            assertThat(outcome.bodies()).containsExactlyElementsOf(bodies);
            assertThat(outcome.prefixes()).allSatisfy(p -> assertThat(p).hasSize(framing.options().prefixLength()));
        });
    }

    @Test
    void randomStreamsYieldFramesOrACloseAndNothingElse() {
        qt().withExamples(500).forAll(headers(), booleans().all(), Gens.byteArrays(0, 700), cuts(6, 700))
                .checkAssert((header, cupPrefix, stream, cuts) -> checkAnyStream(framing(header, cupPrefix), stream, sortedCuts(cuts)));
    }

    @Test
    void mutatedStreamsYieldFramesOrACloseAndNothingElse() {
        Gen<Mutation> mutations = integers().between(0, 10_000)
                .zip(Gens.bytes(), integers().between(0, 10_000), Mutation::new);
        qt().withExamples(500).forAll(headers(), bodies(), mutations).checkAssert((header, bodies, mutation) -> {
            byte[] stream = FrameBytes.concat(bodies.stream().map(b -> FrameBytes.frame(header, b)).toArray(byte[][]::new));
            if (stream.length > 0) {
                stream[mutation.position() % stream.length] = mutation.replacement();
            }
            checkAnyStream(framing(header, false), Arrays.copyOf(stream, Math.min(mutation.truncateTo(), stream.length)),
                    new int[] {mutation.position() % (stream.length + 1)});
        });
    }

    private static void checkAnyStream(Framing framing, byte[] stream, int[] cuts) {
        Channels.Outcome outcome = Channels.feed(framing, stream, cuts);
        int framed = outcome.bodies().stream().mapToInt(b -> b.length + framing.options().prefixLength()
                + framing.header().size()).sum();
        assertThat(framed).isLessThanOrEqualTo(stream.length);
        assertThat(outcome.bodies()).allSatisfy(b -> assertThat(b.length).isBetween(1, MAX));
        if (outcome.closed()) {
            assertThat(outcome.events()).singleElement().isInstanceOf(FrameException.class);
        } else {
            assertThat(outcome.events()).isEmpty();
        }
    }

    private static Framing framing(LengthHeader header, boolean cupPrefix) {
        FramingOptions options = cupPrefix ? FramingOptions.cupPos() : FramingOptions.plain();
        return new Framing(header, options.withMaxFrameLengthBytes(MAX));
    }

    private static int[] sortedCuts(List<Integer> cuts) {
        return cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static byte[] drain(EmbeddedChannel channel) {
        List<byte[]> parts = new ArrayList<>();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            parts.add(ByteBufUtil.getBytes(part));
            part.release();
        }
        channel.finishAndReleaseAll();
        return FrameBytes.concat(parts.toArray(byte[][]::new));
    }

    private static Gen<LengthHeader> headers() {
        return Generate.enumValues(LengthHeader.class);
    }

    /** Up to five bodies, each short enough to fit a frame even behind a CUP prefix. */
    private static Gen<List<byte[]>> bodies() {
        return Gens.byteArrayLists(0, 5, 1, MAX - CupHeader.PREFIX_LENGTH);
    }

    /** Up to {@code maxCuts} read boundaries in the stream. */
    private static Gen<List<Integer>> cuts(int maxCuts, int maxOffset) {
        return lists().of(integers().between(0, maxOffset)).ofSizeBetween(0, maxCuts);
    }
}
