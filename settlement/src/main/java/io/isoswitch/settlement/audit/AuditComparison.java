package io.isoswitch.settlement.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit's rule, pure: per RRN, the issuer's standing bookings (bookings no entry reverses)
 * must be exactly one, for the journaled amount, when the journal says approved; none otherwise.
 * A booking the journal does not know is a difference too (the caller first removes RRNs the
 * journal has on other business dates).
 */
public final class AuditComparison {
    private AuditComparison() {
    }

    /** Every difference between {@code legs} and {@code entries} of issuer {@code issuerId}, journal order first. */
    public static List<AuditDifference> compare(String issuerId, Collection<JournalLeg> legs, Collection<ClearingEntry> entries,
                                                Set<String> rrnsOnOtherDates) {
        Set<Long> reversed = new HashSet<>();
        Map<Long, Long> releasedOfHold = new HashMap<>();
        for (ClearingEntry entry : entries) {
            if (entry.isReversal()) {
                reversed.add(entry.reverses());
            }
            if (entry.kind() == ClearingEntry.Kind.RELEASE && entry.hold() != 0) {
                releasedOfHold.merge(entry.hold(), entry.amountMinor(), Long::sum);
            }
        }
        Map<String, List<ClearingEntry>> bookingsByRrn = new LinkedHashMap<>();
        for (ClearingEntry entry : entries) {
            if (entry.isBooking()) {
                bookingsByRrn.computeIfAbsent(entry.rrn(), r -> new ArrayList<>()).add(entry);
            }
        }
        List<AuditDifference> differences = new ArrayList<>();
        Map<String, JournalLeg> journaled = new HashMap<>();
        for (JournalLeg leg : legs) {
            journaled.put(leg.rrn(), leg);
            List<ClearingEntry> all = bookingsByRrn.getOrDefault(leg.rrn(), List.of());
            List<ClearingEntry> standing = all.stream().filter(e -> !reversed.contains(e.id())).toList();
            String sides = "journal " + leg.transactionType() + " " + leg.state() + " " + leg.amountMinor() + " " + leg.currency()
                    + "; issuer " + describe(all, reversed);
            if (standing.size() > 1) {
                differences.add(difference(AuditDifference.Kind.BOOKED_TWICE, issuerId, leg, sides));
            } else if (leg.expectsBooking()) {
                if (all.isEmpty() && leg.adviceDeclined() != null) {
                    differences.add(difference(AuditDifference.Kind.ADVICE_DECLINED, issuerId, leg,
                            sides + "; the issuer declined its advice " + leg.adviceDeclined()));
                } else if (all.isEmpty()) {
                    differences.add(difference(AuditDifference.Kind.APPROVED_NOT_BOOKED, issuerId, leg, sides));
                } else if (standing.isEmpty()) {
                    differences.add(difference(AuditDifference.Kind.APPROVED_BUT_REVERSED, issuerId, leg, sides));
                } else if (standing.get(0).amountMinor() != leg.amountMinor()
                        || !sameCurrency(standing.get(0).currency(), leg.currency())) {
                    differences.add(difference(AuditDifference.Kind.AMOUNT_DIFFERS, issuerId, leg, sides));
                }
            } else if (standing.stream().anyMatch(e -> !usedUp(e, releasedOfHold))) {
                differences.add(difference(leg.reversalAsked() ? AuditDifference.Kind.REVERSAL_NOT_DELIVERED
                        : AuditDifference.Kind.BOOKED_NOT_APPROVED, issuerId, leg, sides));
            }
        }
        bookingsByRrn.forEach((rrn, all) -> {
            boolean standing = all.stream().anyMatch(e -> !reversed.contains(e.id()));
            if (!journaled.containsKey(rrn) && !rrnsOnOtherDates.contains(rrn) && standing) {
                differences.add(new AuditDifference(AuditDifference.Kind.NOT_IN_JOURNAL, issuerId, rrn, all.get(0).stan(),
                        "issuer " + describe(all, reversed)));
            }
        });
        return differences;
    }

    /**
     * A hold released in full (its completion captured it) holds nothing any more: a reversal of its
     * pre-authorization finds nothing to undo and books nothing, which is no difference. A
     * completed pre-authorization the journal approves still counts its hold as its booking.
     */
    private static boolean usedUp(ClearingEntry booking, Map<Long, Long> releasedOfHold) {
        return booking.kind() == ClearingEntry.Kind.HOLD && releasedOfHold.getOrDefault(booking.id(), 0L) >= booking.amountMinor();
    }

    /** RRNs of standing or reversed bookings that no journal leg of the date names. */
    public static Set<String> unknownRrns(Collection<JournalLeg> legs, Collection<ClearingEntry> entries) {
        Set<String> known = new HashSet<>();
        legs.forEach(leg -> known.add(leg.rrn()));
        Set<String> unknown = new HashSet<>();
        for (ClearingEntry entry : entries) {
            if (entry.isBooking() && !known.contains(entry.rrn())) {
                unknown.add(entry.rrn());
            }
        }
        return unknown;
    }

    private static boolean sameCurrency(int issuerCurrency, String journalCurrency) {
        try {
            return Integer.parseInt(journalCurrency) == issuerCurrency;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static AuditDifference difference(AuditDifference.Kind kind, String issuerId, JournalLeg leg, String sides) {
        return new AuditDifference(kind, issuerId, leg.rrn(), leg.stan(), sides);
    }

    private static String describe(List<ClearingEntry> bookings, Set<Long> reversed) {
        if (bookings.isEmpty()) {
            return "nothing booked";
        }
        StringBuilder text = new StringBuilder();
        for (ClearingEntry e : bookings) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(e.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(e.amountMinor()).append(' ')
                    .append(e.currency()).append(reversed.contains(e.id()) ? " (reversed)" : "");
        }
        return text.toString();
    }
}
