package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoMessageWriter;

/**
 * Writes a request's fields straight into the link's pooled outbound buffer: the zero-copy way to
 * send, since it can echo a terminal request's fields as raw bytes ({@link IsoMessageWriter#copy}).
 * The link has already begun the message with its MTI and finishes it afterwards.
 *
 * <p>Fields go in ascending order, and must include field 11 = {@link LinkStamp#stan()}, field 32
 * = {@link LinkStamp#acquiringInstitutionId()} and, when not null, field 33 =
 * {@link LinkStamp#forwardingInstitutionId()}: the answer is matched on them. The link refuses a
 * request written otherwise.
 *
 * <p>It runs synchronously on the thread that calls {@code send}, so it may read that thread's
 * reusable views; it must not keep the writer.
 */
@FunctionalInterface
public interface RequestWriter {
    void write(IsoMessageWriter writer, LinkStamp stamp);
}
