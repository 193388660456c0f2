/**
 * How clients reach Vask: the public URL ({@code VASK_PUBLIC_URL}), the reverse proxies whose
 * forwarded headers are believed ({@code VASK_TRUSTED_PROXIES}), and from both, whether a request
 * reached Vask over HTTPS (which decides the {@code Secure} attribute and {@code __Host-} names of cookies).
 */
@NullMarked
package dev.vask.platform.edge;

import org.jspecify.annotations.NullMarked;
