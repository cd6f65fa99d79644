/**
 * Test kit shared by every module through iso-codec's test-jar: Netty leak detection that fails
 * the test which leaked, for JUnit tests and jqwik properties alike.
 */
package io.isoswitch.testkit;
