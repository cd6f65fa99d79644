/** Assembling a running switch node from its configuration, and stopping it in order. */
package io.isoswitch.core.node;
