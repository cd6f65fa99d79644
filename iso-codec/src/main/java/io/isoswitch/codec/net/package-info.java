/**
 * The Netty transport every server and client of the project runs on (io_uring, epoll or NIO),
 * chosen in one place. It lives beside the framing because the switch, the simulators and the load
 * generator all depend on this module and on nothing else in common.
 */
package io.isoswitch.codec.net;
