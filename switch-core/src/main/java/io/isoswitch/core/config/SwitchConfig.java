package io.isoswitch.core.config;

import java.time.ZoneId;
import java.util.List;

/**
 * Everything the switch is configured with. One YAML file fills it; every key has a default (the
 * {@code DEFAULT_*} constants of each part), so {@code iso-switch serve} with no file runs alone.
 *
 * @param nodeId       this node's name among several sharing one database (logs, journal)
 * @param businessZone the time zone of the business date and cutover
 * @param listeners    terminal ports
 * @param ops          the operations HTTP port
 * @param journal      the journal database
 * @param security     where keys come from
 * @param pipeline     the pipeline's limits
 * @param issuers      issuer hosts the switch connects to
 * @param routesFile   the routing table (YAML, see docs/routing.md), or null for none (every card 15)
 * @param terminalsFile merchants and terminals (YAML), or null for none
 * @param limits       per card, terminal and merchant limits by merchant category and merchant
 * @param transactions refunds without an original, completion tolerance per merchant category
 * @param standIn      per issuer id: what the switch does while that issuer is down (default: decline 91)
 * @param settlement   business date cutover and fee plans
 * @param emvParametersFile what UnionPay terminals download after sign-on: IC CA public keys, AIDs and
 *                     parameter download values (YAML, docs/emv-downloads.md), or null for none (status
 *                     uploads are answered "nothing to download")
 * @param saf          the store-and-forward queue as a whole: how long delivered entries are kept
 */
public record SwitchConfig(
        String nodeId,
        String businessZone,
        List<ListenerConfig> listeners,
        OpsConfig ops,
        JournalConfig journal,
        SecurityConfig security,
        PipelineConfig pipeline,
        List<io.isoswitch.core.issuer.IssuerConfig> issuers,
        String routesFile,
        String terminalsFile,
        io.isoswitch.core.limits.LimitsConfig limits,
        TransactionsConfig transactions,
        java.util.Map<String, io.isoswitch.core.standin.StandInConfig> standIn,
        SettlementConfig settlement,
        String emvParametersFile,
        SafConfig saf) {

    public static final String DEFAULT_NODE_ID = "node-1";
    public static final String DEFAULT_BUSINESS_ZONE = "UTC";

    public SwitchConfig {
        nodeId = nodeId == null ? DEFAULT_NODE_ID : nodeId;
        businessZone = businessZone == null ? DEFAULT_BUSINESS_ZONE : businessZone;
        listeners = listeners == null ? ListenerConfig.defaults() : List.copyOf(listeners);
        ops = ops == null ? OpsConfig.defaults() : ops;
        journal = journal == null ? JournalConfig.defaults() : journal;
        security = security == null ? SecurityConfig.defaults() : security;
        pipeline = pipeline == null ? PipelineConfig.defaults() : pipeline;
        issuers = issuers == null ? List.of() : List.copyOf(issuers);
        limits = limits == null ? io.isoswitch.core.limits.LimitsConfig.none() : limits;
        transactions = transactions == null ? TransactionsConfig.defaults() : transactions;
        standIn = standIn == null ? java.util.Map.of() : java.util.Map.copyOf(standIn);
        settlement = settlement == null ? SettlementConfig.defaults() : settlement;
        saf = saf == null ? SafConfig.defaults() : saf;
        for (String issuerId : standIn.keySet()) {
            ConfigException.require(issuers.stream().anyMatch(i -> i.issuerId().equals(issuerId)), "standIn." + issuerId,
                    issuerId, "the id of a configured issuer");
        }
        ConfigException.require(nodeId.matches("[A-Za-z0-9_.-]{1,32}"), "nodeId", nodeId, "1 to 32 letters, digits, '_', '.', '-'");
        requireZone(businessZone);
        requireDistinctPorts(listeners, ops);
        requireDistinctNames(listeners);
    }

    /** The configuration before the store-and-forward retention was configurable (at its default). */
    public SwitchConfig(String nodeId, String businessZone, List<ListenerConfig> listeners, OpsConfig ops,
                        JournalConfig journal, SecurityConfig security, PipelineConfig pipeline,
                        List<io.isoswitch.core.issuer.IssuerConfig> issuers, String routesFile, String terminalsFile,
                        io.isoswitch.core.limits.LimitsConfig limits, TransactionsConfig transactions,
                        java.util.Map<String, io.isoswitch.core.standin.StandInConfig> standIn, SettlementConfig settlement,
                        String emvParametersFile) {
        this(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile, terminalsFile, limits,
                transactions, standIn, settlement, emvParametersFile, null);
    }

    /** The configuration before EMV downloads were configurable (none). */
    public SwitchConfig(String nodeId, String businessZone, List<ListenerConfig> listeners, OpsConfig ops,
                        JournalConfig journal, SecurityConfig security, PipelineConfig pipeline,
                        List<io.isoswitch.core.issuer.IssuerConfig> issuers, String routesFile, String terminalsFile,
                        io.isoswitch.core.limits.LimitsConfig limits, TransactionsConfig transactions,
                        java.util.Map<String, io.isoswitch.core.standin.StandInConfig> standIn, SettlementConfig settlement) {
        this(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile, terminalsFile, limits,
                transactions, standIn, settlement, null);
    }

    /** The configuration before transactions and stand-in were configurable (both at their defaults). */
    public SwitchConfig(String nodeId, String businessZone, List<ListenerConfig> listeners, OpsConfig ops,
                        JournalConfig journal, SecurityConfig security, PipelineConfig pipeline,
                        List<io.isoswitch.core.issuer.IssuerConfig> issuers, String routesFile, String terminalsFile,
                        io.isoswitch.core.limits.LimitsConfig limits) {
        this(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile, terminalsFile, limits,
                null, null, null);
    }

    /** The configuration with every key at its default. */
    public static SwitchConfig defaults() {
        return new SwitchConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This configuration with {@code value} for transactions and stand-in. */
    public SwitchConfig withTransactions(TransactionsConfig value, java.util.Map<String, io.isoswitch.core.standin.StandInConfig> standInValue) {
        return new SwitchConfig(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile,
                terminalsFile, limits, value, standInValue, settlement, emvParametersFile, saf);
    }

    /** This configuration with {@code value} for the business date and settlement. */
    public SwitchConfig withIssuers(List<io.isoswitch.core.issuer.IssuerConfig> value) {
        return new SwitchConfig(nodeId, businessZone, listeners, ops, journal, security, pipeline, value, routesFile,
                terminalsFile, limits, transactions, standIn, settlement, emvParametersFile, saf);
    }

    public SwitchConfig withListeners(List<ListenerConfig> value) {
        return new SwitchConfig(nodeId, businessZone, value, ops, journal, security, pipeline, issuers, routesFile,
                terminalsFile, limits, transactions, standIn, settlement, emvParametersFile, saf);
    }

    public SwitchConfig withSettlement(SettlementConfig value) {
        return new SwitchConfig(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile,
                terminalsFile, limits, transactions, standIn, value, emvParametersFile, saf);
    }

    /** This configuration with {@code value} for the EMV parameters file. */
    public SwitchConfig withEmvParametersFile(String value) {
        return new SwitchConfig(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile,
                terminalsFile, limits, transactions, standIn, settlement, value, saf);
    }

    /** This configuration with {@code value} for the store-and-forward queue as a whole. */
    public SwitchConfig withSaf(SafConfig value) {
        return new SwitchConfig(nodeId, businessZone, listeners, ops, journal, security, pipeline, issuers, routesFile,
                terminalsFile, limits, transactions, standIn, settlement, emvParametersFile, value);
    }

    /** What the switch does while {@code issuerId} is down. */
    public io.isoswitch.core.standin.StandInConfig standInFor(String issuerId) {
        return standIn.getOrDefault(issuerId, io.isoswitch.core.standin.StandInConfig.declining());
    }

    public ZoneId businessZoneId() {
        return ZoneId.of(businessZone);
    }

    private static void requireZone(String zone) {
        try {
            ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException("businessZone = " + zone + ": expected a time zone id such as UTC or Asia/Shanghai", e);
        }
    }

    /**
     * A listener's name is its {@code listener} tag: two of one name would share one connections
     * gauge, and the second's connections were not counted (Micrometer keeps the first gauge of an
     * id). {@code ops} is the ops port's tag.
     */
    private static void requireDistinctNames(List<ListenerConfig> listeners) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        seen.add(io.isoswitch.core.ops.OpsHttpServer.LIMITER_NAME);
        for (ListenerConfig listener : listeners) {
            ConfigException.require(seen.add(listener.name()), "listeners[].name", listener.name(),
                    "a name no other listener has (it defaults to the dialect: a second listener of a dialect needs a name;"
                            + " 'ops' is the ops port's)");
        }
    }

    private static void requireDistinctPorts(List<ListenerConfig> listeners, OpsConfig ops) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        if (ops.port() != 0) {
            seen.add(ops.port());
        }
        for (ListenerConfig listener : listeners) {
            ConfigException.require(listener.port() == 0 || seen.add(listener.port()), "listeners[" + listener.name() + "].port", listener.port(),
                    "a port no other listener or the ops port uses");
        }
    }
}
