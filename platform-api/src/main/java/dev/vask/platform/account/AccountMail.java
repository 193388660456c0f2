package dev.vask.platform.account;

import java.time.Duration;

import dev.vask.platform.mail.Mail;

/** The text of the mails accounts get: address verification and password reset. */
final class AccountMail {

    private AccountMail() {
    }

    static Mail verification(String to, String link, Duration lifetime) {
        return new Mail(to, "Verify your email address for Vask", """
                Someone, hopefully you, created a Vask account with this address, or asked to verify it.

                Verify the address by opening this link (it works once, for %s):

                %s

                Until the address is verified, the account can use only the tenant it created, and
                invitations to other tenants cannot be accepted. If you did not ask for this, ignore
                this mail: nothing happens.
                """.formatted(human(lifetime), link), link);
    }

    static Mail reset(String to, String link, Duration lifetime) {
        return new Mail(to, "Reset your Vask password", """
                Someone, hopefully you, asked to reset the password of the Vask account with this address.

                Choose a new password by opening this link (it works once, for %s):

                %s

                Setting a new password signs the account out everywhere. If you did not ask for this,
                ignore this mail: your password stays as it is.
                """.formatted(human(lifetime), link), link);
    }

    static String human(Duration duration) {
        if (duration.toDays() >= 2 && duration.toHoursPart() == 0) {
            return duration.toDays() + " days";
        }
        if (duration.toHours() >= 1 && duration.toMinutesPart() == 0) {
            return duration.toHours() == 1 ? "1 hour" : duration.toHours() + " hours";
        }
        return duration.toMinutes() == 1 ? "1 minute" : duration.toMinutes() + " minutes";
    }
}
