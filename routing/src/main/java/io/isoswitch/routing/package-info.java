/**
 * Routing: which issuer a transaction goes to. BIN ranges of 6 to 11 digits in a digit trie
 * (longest match wins, a lookup walks at most 11 digits), rules on MTI, processing code, currency
 * and amount, primary and secondary issuer with failover, a default route, and a {@link
 * io.isoswitch.routing.Router} whose table is swapped atomically on reload. Pure logic: no bytes,
 * no sockets, no database.
 */
package io.isoswitch.routing;
