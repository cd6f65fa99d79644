/** The {@code iso-switch} command line: one executable that assembles the switch, simulators and tools. */
package io.isoswitch.cli;
