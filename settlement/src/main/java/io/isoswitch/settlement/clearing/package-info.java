/**
 * Merchant settlement and clearing for a business date: set-based SQL over the journal that marks
 * what a run settles, prices it with the merchants' fee plans, totals it per merchant and
 * currency, and the files (merchant reports, issuer clearing files) written from it.
 */
package io.isoswitch.settlement.clearing;
