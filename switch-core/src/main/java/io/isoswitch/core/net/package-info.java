/** Networking shared by the switch's servers and clients: event loops and transports. */
package io.isoswitch.core.net;
