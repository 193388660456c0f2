/** A real SMTP server for tests that follow the links Vask mails. */
@NullMarked
package dev.vask.testing.mail;

import org.jspecify.annotations.NullMarked;
