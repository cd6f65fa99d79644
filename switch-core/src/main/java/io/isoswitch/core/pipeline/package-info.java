/**
 * The authorization pipeline: from a decoded request to a decision, through the terminal's
 * session, validation, MAC, limits, routing, the journal and the issuer, never blocking an event loop.
 */
package io.isoswitch.core.pipeline;
