package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FrameRejectionLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(LengthPrefixedFrameDecoder.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void logsWhyItClosedWithoutTheMessageBytes() {
        byte[] pan = "6259651270007599".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = FrameBytes.concat(new byte[] {(byte) 0xFF, (byte) 0xFF}, pan);
        Channels.feed(Framing.of("binary2", FramingOptions.plain()), stream);
        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage())
                    .startsWith("closing connection from embedded: frame length header at stream offset 0")
                    .endsWith("expected a length of at most 8192, found length 65535")
                    .doesNotContain("6259", "3632");
        });
    }
}
