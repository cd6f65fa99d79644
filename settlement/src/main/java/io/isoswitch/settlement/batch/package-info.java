/**
 * Terminal batches: the open batch of a terminal (its financial journal rows since the last close),
 * closing it when a settlement's totals agree, the line-by-line reconciliation of a batch upload
 * when they do not, and the batch number each terminal is on. All of it set-based SQL on the
 * journal's database, so any switch node can close any terminal's batch.
 */
package io.isoswitch.settlement.batch;
