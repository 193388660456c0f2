/**
 * Mail to account holders (address verification, invitations, password reset): an SMTP server when
 * {@code VASK_SMTP_HOST} is set, else the server log. Sent off the request path, by {@link dev.vask.platform.mail.MailOutbox}.
 */
@NullMarked
package dev.vask.platform.mail;

import org.jspecify.annotations.NullMarked;
