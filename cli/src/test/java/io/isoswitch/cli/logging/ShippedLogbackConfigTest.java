package io.isoswitch.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The logback.xml the jar ships, loaded into a fresh logger context: a logger that logs a PAN
 * directly, in a message and in an exception, prints it masked in the text and the JSON layout.
 */
class ShippedLogbackConfigTest {
    private static final String PAN = "4761739001010119";
    private static final String MASKED = "476173******0119";

    /** What the shipped configuration prints to standard error for one warning with an exception. */
    private static String logThroughShippedConfig(String format) throws JoranException {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("ISO_SWITCH_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(ShippedLogbackConfigTest.class.getResource("/logback.xml"));
            assertThat(new ch.qos.logback.core.status.StatusUtil(context).getHighestLevel(0))
                    .as("the configuration loads without warnings").isLessThan(ch.qos.logback.core.status.Status.WARN);
            Logger logger = context.getLogger("careless.code");
            logger.warn("declined card {} for merchant MERCHANT0000001", PAN,
                    new IllegalStateException("lookup of " + PAN + " failed", new RuntimeException("cause mentions " + PAN)));
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTextLayoutMasksThePanInTheMessageAndTheStackTrace() throws JoranException {
        String out = logThroughShippedConfig(null);
        assertThat(out).doesNotContain(PAN).contains("declined card " + MASKED).contains("lookup of " + MASKED)
                .contains("cause mentions " + MASKED).contains("at io.isoswitch.cli.logging.ShippedLogbackConfigTest")
                .doesNotContain("%");
        // the stack trace is printed once, inside %mask, not again unmasked by Logback's default exception handling
        assertThat(out.split("java.lang.IllegalStateException", -1)).hasSize(2);
    }

    @Test
    void theJsonLayoutWritesOneMaskedObjectPerLine() throws JoranException {
        String out = logThroughShippedConfig("json");
        assertThat(out).doesNotContain(PAN);
        String[] lines = out.strip().split("\\R");
        assertThat(lines).hasSize(1);
        JsonNode line = JsonMapper.builder().build().readTree(lines[0]);
        assertThat(line.path("level").asString()).isEqualTo("WARN");
        assertThat(line.path("logger").asString()).isEqualTo("careless.code");
        assertThat(line.path("message").asString()).isEqualTo("declined card " + MASKED + " for merchant MERCHANT0000001");
        assertThat(line.path("exception").asString()).contains("lookup of " + MASKED).contains("cause mentions " + MASKED);
    }
}
