package io.isoswitch.core.issuer;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.security.Hsm;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every issuer link of the switch: health for routing's failover ({@link #isUp(String)} fits a
 * {@code Predicate<String>}), the secondary an issuer's configuration names ({@link #secondaryOf(String)}), and
 * start/stop of them all.
 *
 * <p>Failover happens only before a request is sent: a request whose issuer is down goes to the
 * secondary; a request that was sent and timed out is never sent again elsewhere (the primary may
 * have approved it), it is answered 91 and reversed.
 */
public final class IssuerLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerLinks.class);

    private final Map<String, IssuerLink> links = new LinkedHashMap<>();

    /**
     * Links for {@code configs}, not yet started.
     *
     * @param hsm         imports zone keys; may be null when no issuer has a ZMK
     * @param onUnmatched receives every answer nobody waits for (late, repeated, unmatched), for the journal
     * @throws ConfigException for a repeated issuer id or a secondary that is not configured
     */
    public IssuerLinks(List<IssuerConfig> configs, EventLoops loops, Hsm hsm, MeterRegistry registry, Clock clock,
                       Consumer<IssuerResponse> onUnmatched) {
        for (IssuerConfig config : configs) {
            if (links.containsKey(config.issuerId())) {
                throw new ConfigException("issuers[" + config.issuerId() + "].issuerId: expected a unique id, found it twice");
            }
            links.put(config.issuerId(), new IssuerLink(config, loops, hsm, registry, clock, onUnmatched));
        }
        for (IssuerConfig config : configs) {
            String secondary = config.secondaryIssuerId();
            if (secondary != null && !links.containsKey(secondary)) {
                throw new ConfigException("issuers[" + config.issuerId() + "].secondaryIssuerId = " + secondary
                        + ": expected a configured issuer, found none");
            }
        }
    }

    /** Gives every link the STAN source {@code sourceOf} makes for its issuer id (before {@link #start()}). */
    public void useStans(java.util.function.Function<String, StanSource> sourceOf) {
        links.values().forEach(link -> link.useStans(sourceOf.apply(link.issuerId())));
    }

    /** Connects every link. */
    public void start() {
        links.values().forEach(IssuerLink::start);
    }

    /**
     * Waits until every link is up, at most {@code limit}; true if they all are. A node calls it
     * between starting its links and opening its terminal ports, so that terminals that redial the
     * moment a restarted node listens are not answered 91 while its links still sign on. Blocks
     * the calling thread: never call it from an event loop.
     */
    public boolean awaitUp(Duration limit) {
        CompletableFuture<?>[] ups = links.values().stream().map(link -> {
            CompletableFuture<Void> up = new CompletableFuture<>();
            link.onUp(() -> up.complete(null));
            if (link.isUp()) {
                up.complete(null);
            }
            return up;
        }).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ups).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    /** Whether the issuer has a signed-on connection; false for an unknown id. */
    public boolean isUp(String issuerId) {
        IssuerLink link = links.get(issuerId);
        return link != null && link.isUp();
    }

    /** The link of {@code issuerId}. */
    public IssuerLink link(String issuerId) {
        IssuerLink link = links.get(issuerId);
        if (link == null) {
            throw new IllegalArgumentException("no issuer link is configured for " + issuerId);
        }
        return link;
    }

    public Collection<IssuerLink> links() {
        return Collections.unmodifiableCollection(links.values());
    }

    /**
     * The issuer that takes {@code issuerId}'s traffic while it is down ({@code secondaryIssuerId} of
     * its configuration), if one is configured. Whether it is up, and not in stand-in, is the
     * caller's to check, as for any routed issuer.
     */
    public Optional<String> secondaryOf(String issuerId) {
        IssuerLink primary = links.get(issuerId);
        return primary == null ? Optional.empty() : Optional.ofNullable(primary.config().secondaryIssuerId());
    }

    /**
     * Stops every link (sign-off after their requests in flight settle), waiting at most
     * {@code limit}. Blocks the calling thread: call it from shutdown, never from an event loop.
     */
    public void stop(Duration limit) {
        CompletableFuture<Void> all = CompletableFuture.allOf(links.values().stream()
                .map(IssuerLink::stop).toArray(CompletableFuture[]::new));
        try {
            all.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("issuer links did not all sign off within {} ms", limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("issuer links stopped with an error: {}", e.getCause().toString());
        }
    }

    /** Stops with a limit of the longest request timeout plus five seconds for the sign-offs. */
    @Override
    public void close() {
        long longest = links.values().stream().mapToLong(link -> link.config().requestTimeoutMs()).max().orElse(0);
        stop(Duration.ofMillis(2 * longest + 5_000));
    }
}
