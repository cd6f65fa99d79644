package io.isoswitch.core.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.HeadlessChromium;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (Debian's headless Chromium): it loads from the ops port alone,
 * shows live numbers that move while terminals buy, and logs no error. The screenshot is kept at
 * {@code switch-core/target/dashboard.png}.
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @TempDir
    Path dir;

    @Test
    void showsLiveNumbersThatMoveWithTrafficAndLogsNoError() throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        try (JournalBackend backend = JournalBackend.h2();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir));
             HeadlessChromium chromium = HeadlessChromium.start(profile)) {
            String origin = "http://127.0.0.1:" + fixture.node().opsPort();
            TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            chromium.navigate(origin + "/");

            await().atMost(WAIT).until(() -> chromium.evaluate("document.getElementById('status-text').textContent").startsWith("live"));
            assertThat(chromium.evaluate("document.getElementById('node').textContent")).isEqualTo("node-1");
            await().atMost(WAIT).until(() -> chromium.evaluate("document.querySelector('#issuers tbody').textContent").contains("bank-aUP"));
            long before = number(chromium.evaluate("document.getElementById('tx-total').textContent"));

            IssuedCard card = fixture.issuer().card(0);
            for (int i = 0; i < 12; i++) {
                IsoMessage answer = terminal.send(terminal.requests().purchase(SwitchFixture.read(card),
                        terminal.pinBlock(card.pin(), card.account().pan()), String.format(Locale.ROOT, "%06d", 10 + i), 100));
                assertThat(answer.getString(39)).isEqualTo("00");
            }

            await().atMost(WAIT).until(() -> number(chromium.evaluate("document.getElementById('tx-total').textContent")) >= before + 12);
            await().atMost(WAIT).until(() -> !chromium.evaluate("document.getElementById('p99').textContent").equals("-"));
            assertThat(chromium.evaluate("document.getElementById('approval').textContent")).isNotEqualTo("-");
            assertThat(number(chromium.evaluate("document.getElementById('connections').textContent"))).isGreaterThanOrEqualTo(1);
            assertThat(chromium.evaluate("document.querySelector('#codes tbody').textContent")).contains("00");
            // the chart draws from its second history sample (one every 2 s): a quick run reaches here first
            await().atMost(WAIT).until(() -> {
                String points = chromium.evaluate("document.querySelector('#tps-chart polyline').getAttribute('points')");
                return points != null && !points.isBlank();
            });
            assertThat(chromium.evaluate("document.getElementById('business-date').textContent")).isNotBlank();
            chromium.screenshot(SCREENSHOT);

            assertThat(chromium.errors()).isEmpty();
            // everything the page loaded came from the switch itself: it works with no internet
            assertThat(chromium.requestedUrls()).isNotEmpty().allMatch(url -> url.startsWith(origin + "/"));
        }
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    private static long number(String text) {
        String digits = text.replace(",", "");
        return digits.matches("\\d+") ? Long.parseLong(digits) : -1;
    }
}
