package io.isoswitch.sim.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Weights of the operations in the load, as {@code purchase=80,balance=10,refund=10}; a request
 * is drawn with probability weight / total.
 */
public final class LoadMix {
    private final EnumMap<LoadOperation, Integer> weights;
    private final LoadOperation[] byTicket;
    private final int[] upTo;

    private LoadMix(EnumMap<LoadOperation, Integer> weights) {
        this.weights = weights;
        this.byTicket = new LoadOperation[weights.size()];
        this.upTo = new int[weights.size()];
        int i = 0;
        int sum = 0;
        for (Map.Entry<LoadOperation, Integer> entry : weights.entrySet()) {
            sum += entry.getValue();
            byTicket[i] = entry.getKey();
            upTo[i++] = sum;
        }
    }

    /** Parses {@code op=weight,...}; weights are non-negative integers with a positive sum. */
    public static LoadMix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("mix: expected op=weight[,op=weight...], found nothing");
        }
        EnumMap<LoadOperation, Integer> weights = new EnumMap<>(LoadOperation.class);
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=");
            if (pair.length != 2) {
                throw new IllegalArgumentException("mix: expected op=weight, found '" + part.trim() + "'");
            }
            int weight;
            try {
                weight = Integer.parseInt(pair[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mix: weight of " + pair[0].trim() + " is not a number: '" + pair[1].trim() + "'");
            }
            if (weight < 0) {
                throw new IllegalArgumentException("mix: weight of " + pair[0].trim() + " must be >= 0, found " + weight);
            }
            if (weight > 0) {
                weights.merge(LoadOperation.named(pair[0].trim()), weight, Integer::sum);
            }
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("mix: the weights sum to 0");
        }
        return new LoadMix(weights);
    }

    /** Only echoes. */
    public static LoadMix echoOnly() {
        return parse("echo=1");
    }

    /** The operation for {@code ticket} in 0..total-1. */
    public LoadOperation pick(int ticket) {
        for (int i = 0; i < upTo.length; i++) {
            if (ticket < upTo[i]) {
                return byTicket[i];
            }
        }
        throw new IllegalArgumentException("ticket: expected 0.." + (total() - 1) + ", found " + ticket);
    }

    /** The sum of the weights. */
    public int total() {
        return upTo[upTo.length - 1];
    }

    /** True when any card transaction is in the mix: the terminals must then sign on first. */
    public boolean needsSignOn() {
        return weights.keySet().stream().anyMatch(LoadOperation::financial);
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(",");
        weights.forEach((op, weight) -> text.add(op.label() + "=" + weight));
        return text.toString();
    }
}
