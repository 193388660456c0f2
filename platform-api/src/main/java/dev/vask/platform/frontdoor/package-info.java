/**
 * The Pusher HTTP API's publish routes served on bare Netty, right after the HTTP codec and ahead of WebFlux, on the
 * one server port (as realtime's WebSockets are): a publish is the work API nodes do all day, and WebFlux's road
 * (its request and response adapters, the filter chain, the JSON codecs' reactive plumbing) cost more than the
 * publish itself. Authentication, validation, limits, usage and error rendering are the Pusher API's own code
 * ({@code signature}, {@code events}), shared with the WebFlux road, which still serves every request this door
 * does not take. See docs/performance.md for the measurements.
 */
@NullMarked
package dev.vask.platform.frontdoor;

import org.jspecify.annotations.NullMarked;
