/**
 * The transaction journal: write-ahead SENT records, outcomes and state transitions written by
 * group commit ({@link io.isoswitch.settlement.journal.Journal}), idempotency by a unique key,
 * reads for repeats and reversals, and crash recovery of unanswered requests.
 */
package io.isoswitch.settlement.journal;
