/**
 * Merchant fees: plans of percentage, fixed, minimum and cap per card scheme and transaction type,
 * computed on minor units with half-even rounding, and what refunds return.
 */
package io.isoswitch.settlement.fees;
