/** HMAC checks for channel auth, user sign-in and HTTP API request signatures. */
@NullMarked
package dev.vask.realtime.auth;

import org.jspecify.annotations.NullMarked;
