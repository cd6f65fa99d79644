package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionClassifierTest {
    @ParameterizedTest(name = "ISO {0} pc {1} f70 {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        "0200, 000000, -, PURCHASE",
        "0200, 020000, -, PURCHASE_VOID",
        "0200, 200000, -, REFUND",
        "0200, 310000, -, BALANCE_INQUIRY",
        "0100, 000000, -, PREAUTH",
        "0100, 020000, -, PREAUTH_VOID",
        "0220, 000000, -, PREAUTH_COMPLETION_ADVICE",
        "0400, 000000, -, REVERSAL",
        "0401, 000000, -, REVERSAL",
        "0420, 000000, -, REVERSAL",
        "0500, 920000, -, SETTLEMENT",
        "0320, 000000, -, BATCH_UPLOAD",
        "0800, -, 001, SIGN_ON",
        "0800, -, 002, SIGN_OFF",
        "0800, -, 301, ECHO",
        "0800, -, 161, KEY_EXCHANGE",
    })
    void classifiesIsoRequests(String mti, String pc, String f70, TransactionType expected) {
        assertThat(TransactionClassifier.classify(mti, pc, f70, null)).contains(expected);
    }

    @ParameterizedTest(name = "CUP {0} 60.1 {1} 60.3 {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        "0200, 01, 000, BALANCE_INQUIRY",
        "0100, 10, 000, PREAUTH",
        "0100, 11, 000, PREAUTH_VOID",
        "0200, 20, 000, PREAUTH_COMPLETION",
        "0200, 21, 000, PREAUTH_COMPLETION_VOID",
        "0220, 24, 000, PREAUTH_COMPLETION_ADVICE",
        "0200, 22, 000, PURCHASE",
        "0200, 23, 000, PURCHASE_VOID",
        "0220, 25, 000, REFUND",
        "0400, 22, 000, REVERSAL",
        "0800, 00, 003, SIGN_ON",
        "0800, 00, 006, SIGN_ON",
        "0820, 00, 002, SIGN_OFF",
        "0820, 00, 301, ECHO",
        "0500, 00, 201, SETTLEMENT",
        "0320, 00, 202, BATCH_UPLOAD",
        "0800, 00, 360, PARAMETER_DOWNLOAD",
        "0820, 00, 362, POS_STATUS_UPLOAD",
        "0820, 00, 372, CA_KEY_STATUS_UPLOAD",
        "0800, 00, 370, CA_KEY_DOWNLOAD",
        "0800, 00, 371, CA_KEY_DOWNLOAD_END",
        "0820, 00, 382, AID_STATUS_UPLOAD",
        "0800, 00, 380, AID_DOWNLOAD",
        "0800, 00, 381, AID_DOWNLOAD_END",
    })
    void classifiesUnionPayRequestsByField60(String mti, String code601, String code603, TransactionType expected) {
        assertThat(TransactionClassifier.classify(mti, "000000", code603, code601)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {"0200, 990000, -, -", "0600, 000000, -, -", "02, 000000, -, -", "0200, 40, -, 99", "0800, -, -, 00",
        // a status upload is an 0820 and a download an 0800: the other MTI names nothing
        "0800, -, 372, 00", "0820, -, 370, 00", "0800, -, 373, 00"})
    void leavesUnknownCombinationsUnclassified(String mti, String pc, String f70, String code601) {
        assertThat(TransactionClassifier.classify(mti, pc, f70, code601)).isEmpty();
    }

    @ParameterizedTest(name = "{0} 60.1 {1}")
    @CsvSource(nullValues = "-", value = {"0202, -", "0203, -", "0204, -", "0205, -", "0402, -", "0102, -", "0802, -",
        "0202, 22", "0402, 22"})
    void leavesRequestsOfAnotherOriginThanTheAcquirerUnclassified(String mti, String code601) {
        assertThat(TransactionClassifier.classify(mti, "000000", null, code601)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0201, PURCHASE", "0101, PREAUTH", "0221, PREAUTH_COMPLETION_ADVICE", "0421, REVERSAL"})
    void classifiesAnAcquirersRepeatAsItsRequest(String mti, TransactionType expected) {
        assertThat(TransactionClassifier.classify(mti, "000000", null, null)).contains(expected);
    }
}
