/** Issuer links: matching answers to requests, STANs, timeouts, failover. */
package io.isoswitch.core.issuer;
