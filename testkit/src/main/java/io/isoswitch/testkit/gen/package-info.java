/**
 * QuickTheories generators that mix edge cases and short values into every run, for the property
 * tests of every module. A module of its own, with QuickTheories as its only dependency, so that a
 * module without Netty (security) uses the same generators as the codec instead of a copy.
 */
package io.isoswitch.testkit.gen;
