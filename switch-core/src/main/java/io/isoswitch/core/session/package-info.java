/** Terminal sessions: sign-on issues fresh working keys under the terminal's TMK; keys retire by use count or age. */
package io.isoswitch.core.session;
