package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of framing over random bodies, random read boundaries and random or mutated streams. */
class FramingProperties {
    private static final int MAX = 600;

    @Property(tries = 300)
    void frameThenDeframeIsIdentity(@ForAll LengthHeader header, @ForAll boolean cupPrefix,
            @ForAll("bodies") List<byte[]> bodies, @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 4000) Integer> cuts) {
        Framing framing = framing(header, cupPrefix);
        EmbeddedChannel encoder = new EmbeddedChannel(framing.encoder());
        List<byte[]> contents = new ArrayList<>();
        for (byte[] body : bodies) {
            byte[] content = cupPrefix ? FrameBytes.concat(new byte[io.isoswitch.codec.cup.CupHeader.PREFIX_LENGTH], body) : body;
            contents.add(content);
            encoder.writeOutbound(encoder.alloc().buffer().writeBytes(content));
        }
        byte[] stream = drain(encoder);
        Channels.Outcome outcome = Channels.feed(framing, stream, sortedCuts(cuts));
        assertThat(outcome.closed()).isFalse();
        assertThat(outcome.bodies()).containsExactlyElementsOf(bodies);
        assertThat(outcome.prefixes()).allSatisfy(p -> assertThat(p).hasSize(framing.options().prefixLength()));
    }

    @Property(tries = 500)
    void randomStreamsYieldFramesOrACloseAndNothingElse(@ForAll LengthHeader header, @ForAll boolean cupPrefix,
            @ForAll @Size(max = 700) byte[] stream, @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 700) Integer> cuts) {
        checkAnyStream(framing(header, cupPrefix), stream, sortedCuts(cuts));
    }

    @Property(tries = 500)
    void mutatedStreamsYieldFramesOrACloseAndNothingElse(@ForAll LengthHeader header, @ForAll("bodies") List<byte[]> bodies,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte replacement,
            @ForAll @IntRange(min = 0, max = 10_000) int truncateTo) {
        byte[] stream = FrameBytes.concat(bodies.stream().map(b -> FrameBytes.frame(header, b)).toArray(byte[][]::new));
        if (stream.length > 0) {
            stream[position % stream.length] = replacement;
        }
        checkAnyStream(framing(header, false), Arrays.copyOf(stream, Math.min(truncateTo, stream.length)),
                new int[] {position % (stream.length + 1)});
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

    @Provide
    Arbitrary<List<byte[]>> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(MAX - io.isoswitch.codec.cup.CupHeader.PREFIX_LENGTH)
                .list().ofMaxSize(5);
    }
}
