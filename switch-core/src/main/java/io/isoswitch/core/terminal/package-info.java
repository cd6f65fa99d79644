/** Terminals and merchants the switch acquires for: who may dial in, with which keys and rights. */
package io.isoswitch.core.terminal;
