package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;

/**
 * A UnionPay pre-authorization of {@code held} on {@code card}, approved at {@code terminal} (its
 * answer {@code answer}, its STAN {@code stan}): the completions and voids that name it.
 */
record CupPreAuthorization(TerminalSide terminal, IssuedCard card, IsoMessage answer, String stan, long held) {

    /** A pre-authorization of {@code held} at UnionPay terminal 1, signed on, answered 00. */
    static CupPreAuthorization approved(SwitchFixture fixture, IssuedCard card, String stan, long held) throws IOException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IsoMessage answer = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan, held));
        assertThat(answer.getString(39)).isEqualTo("00");
        return new CupPreAuthorization(terminal, card, answer, stan, held);
    }

    /** A completion of {@code amount} under {@code completionStan}. */
    IsoMessage completion(String completionStan, long amount) {
        return terminal.requests().completion(SwitchFixture.read(card), completionStan, amount, answer.getString(37),
                answer.getString(38), stan);
    }

    /** A void of the pre-authorization under {@code voidStan}, as {@code at} (this terminal, at whichever node) sends it. */
    IsoMessage voidOf(TerminalSide at, String voidStan) {
        return at.requests().preAuthVoid(SwitchFixture.read(card), voidStan, held, answer.getString(37), answer.getString(38), stan);
    }

    /** A void of the pre-authorization under {@code voidStan}. */
    IsoMessage voidOf(String voidStan) {
        return voidOf(terminal, voidStan);
    }
}
