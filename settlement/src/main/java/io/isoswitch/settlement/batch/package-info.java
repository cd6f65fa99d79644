/**
 * Terminal batches: the open batch of a terminal (its financial journal rows since the last close),
 * closing it when a settlement's totals agree, the line-by-line reconciliation of a batch upload
 * when they do not, and the batch number each terminal is on. All of it on the journal's
 * database (set-based SQL, but for the pairing of uploaded lines with journal rows), so any switch
 * node can close any terminal's batch.
 */
package io.isoswitch.settlement.batch;
