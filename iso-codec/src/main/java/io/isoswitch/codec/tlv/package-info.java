/**
 * BER-TLV as EMV uses it in ISO 8583 field 55: a zero-copy flyweight reader ({@link
 * io.isoswitch.codec.tlv.TlvReader}), a writer that chooses the minimal length form ({@link
 * io.isoswitch.codec.tlv.TlvWriter}) and copies unknown elements unchanged, a dictionary of the
 * common EMV tags with the ones that hold card data ({@link io.isoswitch.codec.tlv.EmvTags}) and a
 * masking describer. Depends on nothing of ours but netty-buffer.
 */
package io.isoswitch.codec.tlv;
