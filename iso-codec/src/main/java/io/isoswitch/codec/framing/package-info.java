/**
 * Framing of ISO 8583 on a TCP stream: Netty handlers that cut the stream into frames by a
 * length header (2-byte binary, 4-byte ASCII decimal or 2-byte BCD), with optional fixed prefix
 * bytes such as the UnionPay TPDU and header, and the encoders that put the header back. {@link
 * io.isoswitch.codec.framing.Framing} builds the pair for a listener from its configuration.
 */
package io.isoswitch.codec.framing;
