/** The switch: terminal listeners, sessions, the authorization pipeline, issuer links, metrics and ops. */
package io.isoswitch.core;
