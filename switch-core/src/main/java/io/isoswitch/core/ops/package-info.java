/**
 * The operations HTTP port: Prometheus metrics, liveness and readiness, and (later) the dashboard
 * and token-protected commands, served on the switch's event loops without blocking them.
 */
package io.isoswitch.core.ops;
