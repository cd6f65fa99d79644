/**
 * The money-conservation audit: the journal of a business date compared, record by record, with
 * what each issuer actually booked (its clearing file, or a simulator's ledger export).
 */
package io.isoswitch.settlement.audit;
