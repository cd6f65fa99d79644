/** The switch's Micrometer meters, named in one place with low-cardinality tags. */
package io.isoswitch.core.metrics;
