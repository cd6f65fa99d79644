package io.isoswitch.core.node;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.terminal.TerminalFile;
import io.isoswitch.routing.Issuers;
import io.isoswitch.routing.RouteDefinition;
import io.isoswitch.routing.RouteFile;
import io.isoswitch.routing.RouteRule;
import io.isoswitch.routing.RoutingTable;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route and terminal files a node reads at start and on reload, checked against the rest of
 * the configuration: a route naming an issuer the node has no link to, or a terminal whose TMK key
 * block does not load under this LMK as a TMK, is refused with the file and entry named, instead of
 * a node that starts and then answers every such card 91 or every such terminal's sign-on 96.
 */
final class ConfiguredFiles {
    private ConfiguredFiles() {
    }

    /** The routing table of {@code routesFile} (empty without one), every issuer it names configured. */
    static RoutingTable routes(SwitchConfig config) {
        if (config.routesFile() == null) {
            return RoutingTable.empty();
        }
        RoutingTable table = RouteFile.load(Path.of(config.routesFile()));
        Set<String> known = new TreeSet<>();
        config.issuers().stream().map(IssuerConfig::issuerId).forEach(known::add);
        List<RouteDefinition> routes = new ArrayList<>(table.routes());
        if (table.defaultRoute() != null) {
            routes.add(table.defaultRoute());
        }
        for (RouteDefinition route : routes) {
            List<Issuers> named = new ArrayList<>();
            named.add(route.issuers());
            route.rules().stream().map(RouteRule::issuers).forEach(named::add);
            for (Issuers issuers : named) {
                for (String issuer : new String[] {issuers.primary(), issuers.secondary()}) {
                    if (issuer != null && !known.contains(issuer)) {
                        throw new ConfigException("route file " + config.routesFile() + ": route " + route.name()
                                + " names issuer " + issuer + ", which is not in issuers[] (configured: "
                                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
                    }
                }
            }
        }
        return table;
    }

    /** The merchants and terminals of {@code terminalsFile}, each TMK key block loaded as a TMK. */
    static TerminalFile.Contents terminals(SwitchConfig config, Hsm hsm) {
        TerminalFile.Contents contents = TerminalFile.read(Path.of(config.terminalsFile()));
        for (TerminalFile.TerminalEntry terminal : contents.terminals()) {
            String where = "terminals file " + config.terminalsFile() + ": terminal " + terminal.id() + ": tmkKeyBlock: ";
            SecureKey tmk;
            try {
                tmk = hsm.loadKey(terminal.tmkKeyBlock());
            } catch (HsmException | IllegalArgumentException e) {
                throw new ConfigException(where + e.getMessage()
                        + " (a key block made under this LMK: ./iso-switch keys form --kind TMK ...)", e);
            }
            if (tmk.kind() != KeyKind.TMK) {
                throw new ConfigException(where + "expected a TMK but the key block holds a " + tmk.kind());
            }
        }
        return contents;
    }

    /** The EMV parameters of {@code emvParametersFile}, every key's checksum checked; none without one. */
    static io.isoswitch.core.emv.EmvParameters emvParameters(SwitchConfig config) {
        return config.emvParametersFile() == null ? io.isoswitch.core.emv.EmvParameters.none()
                : io.isoswitch.core.emv.EmvParametersFile.load(Path.of(config.emvParametersFile()));
    }
}
