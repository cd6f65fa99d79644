/**
 * The message side of terminal batches: settlement (0500) and batch upload (0320) read from the
 * terminal's fields and answered from {@link io.isoswitch.settlement.batch.Batches}, with their
 * metrics. (The guard that refuses a void of a closed batch's transaction stands before the
 * authorizer: {@link io.isoswitch.core.pipeline.ClosedBatchVoidGuard}.)
 */
package io.isoswitch.core.batch;
