package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.issuer.IssuerUnavailableException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Which failed sends are the entry's own (it waits alone and, past its retry stop, is abandoned)
 * and which are the issuer link's (the issuer's round stops and probes; no stop). Only a message
 * that cannot be built is the entry's own.
 */
class SafAttemptClassificationTest {
    /**
     * Regression: any failure that was not an IssuerException counted as the entry's own, so a MAC the
     * link could not compute (a broken zone key) or a full table of pending requests made every entry
     * of the issuer fail alone, and an hour later the claim abandoned the whole queue.
     */
    @Test
    void aFailureInTheLinksSendThatIsNotTheBuildingOfTheMessageIsTheLinks() {
        AttemptOutcome mac = AttemptOutcome.of(null,
                new CompletionException(new IllegalStateException("MAC under the zone key failed")));
        AttemptOutcome issuer = AttemptOutcome.of(null,
                new CompletionException(new IssuerUnavailableException("bank-a")));

        assertThat(mac.ownFailure()).isNull();
        assertThat(mac.code()).isNull();
        assertThat(issuer.ownFailure()).isNull();
    }

    /**
     * Regression: a card this node could not decrypt because of its data key (lost, or one its HSM
     * cannot use) failed as the entry's own, so an hour later the whole queue was abandoned.
     */
    @Test
    void aDataKeyThatCannotBeUsedIsTheNodesFailureNotTheEntrys() {
        DataKeyUnavailableException key = new DataKeyUnavailableException("the card is encrypted under data key 0A1B2C");

        AttemptOutcome attempt = AttemptOutcome.of(null, new CompletionException(key));

        assertThat(attempt.nodeFailure()).isSameAs(key);
        assertThat(attempt.ownFailure()).isNull();
        assertThat(attempt.code()).isNull();
    }

    /**
     * 91 and 96 are the issuer's (the queue waits, no retry stop), and the reason the entry waits
     * with names the code: before, it said "no acknowledgement" as for no answer at all, so an entry
     * the issuer kept answering 96 held the queue with nothing telling operations why.
     */
    @Test
    void a91Or96AnswerIsTheIssuersAndTheReasonNamesIt() {
        for (String code : new String[] {"91", "96"}) {
            AttemptOutcome attempt = AttemptOutcome.answered(code);

            assertThat(attempt.code()).as("not an acknowledgement").isNull();
            assertThat(attempt.ownFailure()).isNull();
            assertThat(attempt.nodeFailure()).isNull();
            assertThat(attempt.retryReason()).isEqualTo("issuer answered " + code);
        }
        assertThat(AttemptOutcome.answered("25").code()).isEqualTo("25");
        assertThat(AttemptOutcome.of(null, new CompletionException(new IssuerUnavailableException("bank-a")))
                .retryReason()).isEqualTo("no acknowledgement");
    }

    @Test
    void aMessageThatCannotBeBuiltIsTheEntrysOwnFailureWithItsCause() {
        IllegalArgumentException cause = new IllegalArgumentException("the card does not decrypt");

        AttemptOutcome attempt = AttemptOutcome.of(null,
                new CompletionException(new EntryCannotBeBuiltException(cause)));

        assertThat(attempt.ownFailure()).isSameAs(cause);
        assertThat(attempt.code()).isNull();
        assertThat(new EntryCannotBeBuiltException(cause).getMessage()).doesNotContain("decrypt")
                .contains("IllegalArgumentException");
    }
}
