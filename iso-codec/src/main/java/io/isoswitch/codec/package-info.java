/**
 * The ISO 8583 codec: {@link io.isoswitch.codec.IsoMessageView} decodes a frame as a zero-copy
 * flyweight, {@link io.isoswitch.codec.IsoMessageWriter} encodes in place, and
 * {@link io.isoswitch.codec.IsoMessage} is the simple mutable form for tools and tests. Errors are
 * {@link io.isoswitch.codec.IsoCodecException}; descriptions mask card data.
 */
package io.isoswitch.codec;
