/**
 * The switch's side of the business date: the shared calendar read through a cached
 * {@code BusinessDay}, its gauge, the {@code /ops/cutover} command, and the fee plans file.
 */
package io.isoswitch.core.day;
