/** Terminal listeners: accepting connections within limits, framing, and back-pressure per connection. */
package io.isoswitch.core.listener;
