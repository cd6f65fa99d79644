/** The demo: a switch with in-process issuer banks, test cards, terminals of every dialect, and a short mixed load. */
package io.isoswitch.cli.demo;
