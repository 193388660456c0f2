/** App keys and secrets: generation, storage and revocation. */
@NullMarked
package dev.vask.platform.key;

import org.jspecify.annotations.NullMarked;
