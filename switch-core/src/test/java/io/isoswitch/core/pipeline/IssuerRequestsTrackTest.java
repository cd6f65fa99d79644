package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.issuer.LinkStamp;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.txn.TransactionType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link IssuerRequests} writes of a card's track 2 in each issuer link dialect: a request
 * (0100, 0200) forwards it as the switch read it, so that the issuer can check the stripe; an
 * advice (0220) or a reversal (0400) never carries it (ISO 8583: they name a transaction the card
 * was already read for).
 */
class IssuerRequestsTrackTest {
    private static final String PAN = "4761739001010119";
    private static final String TRACK = PAN + "=30121011230000";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T04:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"iso87binary", "iso87ascii", "iso93binary"})
    void aPurchaseForwardsTheTrackTheSwitchRead(String dialect) {
        IsoMessage sent = written(dialect, authorization(TransactionType.PURCHASE, TRACK));
        assertThat(sent.has(35)).isTrue();
        assertThat(sent.getString(35).replace('D', '=')).isEqualTo(TRACK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iso87binary", "iso87ascii", "iso93binary"})
    void aPreAuthorizationForwardsTheTrack(String dialect) {
        assertThat(written(dialect, authorization(TransactionType.PREAUTH, TRACK)).has(35)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iso87binary", "iso87ascii", "iso93binary"})
    void aReversalOrAnAdviceNeverCarriesATrack(String dialect) {
        assertThat(written(dialect, authorization(TransactionType.REVERSAL, TRACK)).has(35)).isFalse();
        assertThat(written(dialect, authorization(TransactionType.PREAUTH_COMPLETION_ADVICE, TRACK)).has(35)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iso87binary", "iso87ascii", "iso93binary"})
    void aRequestWithoutATrackSendsNone(String dialect) {
        assertThat(written(dialect, authorization(TransactionType.PURCHASE, null)).has(35)).isFalse();
    }

    private static Authorization authorization(TransactionType type, String track) {
        Terminal terminal = new Terminal("T0000001", "M00000000000001", "iso87binary", "unused here", Set.of(), true);
        Merchant merchant = new Merchant("M00000000000001", "Shop", "5411", "978", null);
        return new Authorization(type, "0200", terminal, merchant, null, "000001", "", "000000", PAN, "3012", 1_000, "978",
                null, "021", null, null, null, null, null, null, null, track, false);
    }

    private static IsoMessage written(String dialect, Authorization a) {
        IssuerRequests requests = new IssuerRequests(new RrnGenerator(1, CLOCK, ZoneOffset.UTC), CLOCK);
        IssuerRequests.Prepared prepared = requests.prepare(a, null, (pinBlock, keys) -> pinBlock);
        ByteBuf out = Unpooled.buffer();
        try {
            IsoMessageWriter writer = new IsoMessageWriter(Dialects.byName(dialect)).begin(out, prepared.mti());
            prepared.writer().write(writer, new LinkStamp(1, "123456", null, null));
            writer.finish();
            return IsoMessage.decode(Dialects.byName(dialect), out);
        } finally {
            out.release();
        }
    }
}
