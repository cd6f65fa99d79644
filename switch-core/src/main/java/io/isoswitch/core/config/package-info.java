/**
 * The switch's configuration: one YAML file read into immutable records, every key defaulted by a
 * named constant and validated at start, secrets masked when logged.
 */
package io.isoswitch.core.config;
