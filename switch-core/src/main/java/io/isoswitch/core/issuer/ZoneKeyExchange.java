package io.isoswitch.core.issuer;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's zone keys. After the first connection signs on, the switch asks the issuer for keys
 * (a key change request); the issuer answers with a ZPK (and optionally a ZAK) encrypted under the
 * ZMK they share, with check values ({@link ZoneKeyData} in field 48); the HSM imports them under
 * the LMK, verifying each check value. One exchange serves every connection of the link: the
 * others wait for it, so the switch and the issuer never disagree about the current key. The
 * issuer may also push new keys with its own key change request ({@link #importKeys}).
 */
final class ZoneKeyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneKeyExchange.class);

    private final String issuerId;
    private final Hsm hsm;
    private final SecureKey zmk;
    private final Clock clock;
    private WorkingKeys current;
    private CompletableFuture<WorkingKeys> inProgress;

    ZoneKeyExchange(IssuerConfig config, Hsm hsm, Clock clock) {
        this.issuerId = config.issuerId();
        this.hsm = hsm;
        this.clock = clock;
        if (config.zmkKeyBlock() == null) {
            this.zmk = null;
            return;
        }
        String key = "issuers[" + issuerId + "].zmkKeyBlock";
        if (hsm == null) {
            throw new ConfigException(key + " is set but the switch has no HSM to use it");
        }
        SecureKey loaded;
        try {
            loaded = hsm.loadKey(config.zmkKeyBlock());
        } catch (RuntimeException e) {
            throw new ConfigException(key + " = ****: expected a key block under this switch's LMK (" + e.getMessage() + ")", e);
        }
        if (loaded.kind() != KeyKind.ZMK) {
            throw new ConfigException(key + " = ****: expected a zone master key, found a " + loaded.kind());
        }
        this.zmk = loaded;
    }

    /** Whether this link exchanges keys (it has a ZMK). */
    boolean enabled() {
        return zmk != null;
    }

    synchronized WorkingKeys current() {
        return current;
    }

    /**
     * The current keys, or the exchange that will bring them: started with {@code request} (a key
     * change request on the calling connection) unless one is already running.
     */
    synchronized CompletableFuture<WorkingKeys> ensure(Supplier<CompletableFuture<IssuerResponse>> request,
                                                       NetworkManagement network) {
        if (current != null) {
            return CompletableFuture.completedFuture(current);
        }
        if (zmk == null) {
            current = WorkingKeys.none(clock.instant());
            return CompletableFuture.completedFuture(current);
        }
        if (inProgress != null) {
            return inProgress;
        }
        CompletableFuture<WorkingKeys> exchange = request.get().thenApply(answer -> {
            if (!network.accepted(answer.responseCode())) {
                throw new KeyExchangeException(issuerId, "the issuer answered the key change with code " + answer.responseCode());
            }
            String keys = answer.toMessage().getString(48);
            if (keys == null) {
                throw new KeyExchangeException(issuerId, "the key change answer has no field 48");
            }
            return importKeys(keys);
        });
        inProgress = exchange;
        exchange.whenComplete((keys, failure) -> finished(exchange));
        return exchange;
    }

    private synchronized void finished(CompletableFuture<WorkingKeys> exchange) {
        if (inProgress == exchange) {
            inProgress = null;
        }
    }

    /** Imports keys in field 48's form under the ZMK and makes them current. */
    WorkingKeys importKeys(CharSequence field48) {
        if (zmk == null) {
            throw new KeyExchangeException(issuerId, "the link has no ZMK configured");
        }
        List<ZoneKeyData.Entry> entries;
        try {
            entries = ZoneKeyData.parse(field48);
        } catch (IllegalArgumentException e) {
            throw new KeyExchangeException(issuerId, e.getMessage(), e);
        }
        SecureKey zpk = null;
        SecureKey zak = null;
        for (ZoneKeyData.Entry entry : entries) {
            SecureKey imported = hsm.importKey(entry.kind(), entry.algorithm(), entry.cryptogram(), zmk, entry.checkValue());
            if (entry.kind() == KeyKind.ZPK) {
                zpk = imported;
            } else {
                zak = imported;
            }
        }
        if (zpk == null) {
            throw new KeyExchangeException(issuerId, "field 48 carries no ZPK");
        }
        WorkingKeys keys = new WorkingKeys(zpk, zak, clock.instant());
        synchronized (this) {
            current = keys;
        }
        LOG.info("issuer {}: new zone keys, ZPK kcv {}{}", issuerId, zpk.kcv(), zak == null ? "" : ", ZAK kcv " + zak.kcv());
        return keys;
    }

    /** The link went down: the next sign-on exchanges keys again. */
    synchronized void forget() {
        current = null;
    }
}
