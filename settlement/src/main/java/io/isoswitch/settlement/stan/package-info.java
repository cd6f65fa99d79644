/** Numbered blocks of issuer-link STANs, shared by every node through the journal database. */
package io.isoswitch.settlement.stan;
