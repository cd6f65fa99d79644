/**
 * Logging of the iso-switch process: the PAN-masking guard every layout applies, and the JSON
 * layout ({@code ISO_SWITCH_LOG_FORMAT=json}).
 */
package io.isoswitch.cli.logging;
