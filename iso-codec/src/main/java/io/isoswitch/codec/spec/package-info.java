/**
 * ISO 8583 dialects as data: {@link io.isoswitch.codec.spec.MessageSpec} (MTI, bitmaps, fields) and
 * {@link io.isoswitch.codec.spec.FieldSpec} (type x length kind x prefix x encoding x padding),
 * the spec-file loader and the built-in {@link io.isoswitch.codec.spec.Dialects}.
 */
package io.isoswitch.codec.spec;
