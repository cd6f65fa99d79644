/**
 * Simulated cards: the issuer's static card data ({@link io.isoswitch.sim.card.CardAccount}), the
 * card file format ({@link io.isoswitch.sim.card.CardCsv}) and a deterministic generator of
 * Luhn-valid cards ({@link io.isoswitch.sim.card.CardGenerator}).
 */
package io.isoswitch.sim.card;
