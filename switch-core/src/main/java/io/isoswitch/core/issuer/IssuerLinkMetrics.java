package io.isoswitch.core.issuer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters of one issuer link, tagged with the issuer id only (a handful of values per switch).
 * Dot names, shown by Prometheus with underscores ({@code switch_issuer_link_up}).
 */
final class IssuerLinkMetrics {
    /** 1 while at least one connection is signed on, else 0. */
    static final String LINK_UP = "switch.issuer.link.up";
    static final String SIGNED_ON = "switch.issuer.connections.signed.on";
    static final String REQUESTS = "switch.issuer.requests";
    static final String UNAVAILABLE = "switch.issuer.unavailable";
    static final String REROUTED = "switch.issuer.rerouted";
    static final String TIMEOUTS = "switch.issuer.timeouts";
    static final String CONNECTION_LOST = "switch.issuer.connection.lost";
    static final String LATE_ANSWERS = "switch.issuer.late.answers";
    static final String RECONNECTS = "switch.issuer.reconnects";
    static final String KEY_EXCHANGES = "switch.issuer.key.exchanges";
    static final String UNDECODABLE = "switch.issuer.undecodable";
    static final String MAC_FAILURES = "switch.issuer.mac.failures";
    static final String MALFORMED_ICC_DATA = "switch.issuer.icc.malformed";
    static final String LATENCY = "switch.issuer.latency";
    /** The tag telling financial requests' timeouts and lost connections from network management's. */
    static final String REQUEST_KIND = "request";
    static final String FINANCIAL = "financial";
    static final String NETWORK = "network";

    private final Counter requests;
    private final Counter unavailable;
    private final Counter rerouted;
    private final Counter timeouts;
    private final Counter connectionLost;
    private final Counter networkTimeouts;
    private final Counter networkConnectionLost;
    private final Counter lateAnswers;
    private final Counter reconnects;
    private final Counter keyExchanges;
    private final Counter undecodable;
    private final Counter macFailures;
    private final Counter malformedIccData;
    private final Timer latency;

    IssuerLinkMetrics(MeterRegistry registry, String issuerId, Supplier<Number> up, Supplier<Number> signedOn) {
        Gauge.builder(LINK_UP, up).description("1 while the issuer link has a signed-on connection").tag("issuer", issuerId)
                .register(registry);
        Gauge.builder(SIGNED_ON, signedOn).description("Signed-on connections to the issuer").tag("issuer", issuerId)
                .register(registry);
        requests = counter(registry, REQUESTS, "Requests written to the issuer (network management included)", issuerId);
        unavailable = counter(registry, UNAVAILABLE, "Requests refused at once: no signed-on connection", issuerId);
        rerouted = counter(registry, REROUTED,
                "Requests moved to another connection: theirs stopped taking requests (a key exchange, a drop) before they were written", issuerId);
        // by kind of request: a sign-on or echo lost on every reconnect of a link down (a balancer in front of the
        // issuer accepts and closes) counted with the financial ones, which are reversed, and fired their alerts
        timeouts = counter(registry, TIMEOUTS, "Requests the issuer did not answer in time", issuerId, FINANCIAL);
        connectionLost = counter(registry, CONNECTION_LOST, "Requests whose connection closed before the answer", issuerId, FINANCIAL);
        networkTimeouts = counter(registry, TIMEOUTS, "Requests the issuer did not answer in time", issuerId, NETWORK);
        networkConnectionLost = counter(registry, CONNECTION_LOST, "Requests whose connection closed before the answer", issuerId,
                NETWORK);
        lateAnswers = counter(registry, LATE_ANSWERS, "Answers nobody waited for: late, repeated or unmatched", issuerId);
        reconnects = counter(registry, RECONNECTS, "Reconnect attempts scheduled after a close or failure", issuerId);
        keyExchanges = counter(registry, KEY_EXCHANGES,
                "Zone key exchanges on connections already signed on (keyExchangeIntervalMs)", issuerId);
        undecodable = counter(registry, UNDECODABLE, "Messages from the issuer that did not decode (dropped)", issuerId);
        macFailures = counter(registry, MAC_FAILURES, "Answers whose MAC did not verify under the link's ZAK (dropped)", issuerId);
        malformedIccData = counter(registry, MALFORMED_ICC_DATA,
                "Answers whose field 55 was not well-formed BER-TLV (the field dropped, the answer kept)", issuerId);
        latency = Timer.builder(LATENCY).description("Time from a request written to its answer read").tag("issuer", issuerId)
                .publishPercentileHistogram().register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String issuerId) {
        return Counter.builder(name).description(description).tag("issuer", issuerId).register(registry);
    }

    /** {@link #counter} tagged {@code request}: {@value #FINANCIAL} (authorizations, advices, reversals) or {@value #NETWORK}. */
    private static Counter counter(MeterRegistry registry, String name, String description, String issuerId, String kind) {
        return Counter.builder(name).description(description).tag("issuer", issuerId).tag(REQUEST_KIND, kind).register(registry);
    }

    void request() {
        requests.increment();
    }

    void unavailable() {
        unavailable.increment();
    }

    void rerouted() {
        rerouted.increment();
    }

    /** @param network a network management request (sign-on, echo, key exchange), not a financial one */
    void timeout(boolean network) {
        (network ? networkTimeouts : timeouts).increment();
    }

    /** @param network a network management request (sign-on, echo, key exchange), not a financial one */
    void connectionLost(boolean network) {
        (network ? networkConnectionLost : connectionLost).increment();
    }

    void lateAnswer() {
        lateAnswers.increment();
    }

    void reconnect() {
        reconnects.increment();
    }

    void undecodable() {
        undecodable.increment();
    }

    void macFailure() {
        macFailures.increment();
    }

    void malformedIccData() {
        malformedIccData.increment();
    }

    void answered(long elapsedNanos) {
        latency.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    void keyExchange() {
        keyExchanges.increment();
    }
}
