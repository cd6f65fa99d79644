/**
 * Test kit shared by every module through iso-codec's test-jar: Netty leak detection that fails
 * the test which leaked (QuickTheories properties run inside JUnit tests, so they are covered).
 */
package io.isoswitch.testkit;
