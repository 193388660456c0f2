package dev.vask.platform.vapid;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.vask.platform.management.ApiRequest;
import dev.vask.platform.management.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The request body of {@code PATCH /api/v1/apps/{appId}/vapid}, and the rules its values follow. */
public final class VapidRequests {

    /** The shortest and longest rotation period (the database's apps_vapid_rotation_period check agrees). */
    public static final Duration MIN_PERIOD = Duration.ofHours(1);
    public static final Duration MAX_PERIOD = Duration.ofDays(3650);
    public static final int MAX_SUBJECT_LENGTH = 255;
    private static final Pattern MAILTO = Pattern.compile("^mailto:[^\\s@<>\"]+@[^\\s@<>\"]+$");

    private VapidRequests() {
    }

    /**
     * Change the rotation period or the subject: only the fields present change. {@code rotationPeriod} must not be
     * null; {@code subject} null removes the contact. (A class rather than a record, so that an explicit null can be
     * told from an absent field.)
     */
    @Schema(description = "Fields to change; absent ones keep their value. subject: null removes it; rotationPeriod: null is refused.")
    public static final class VapidPatch implements ApiRequest {

        private @Nullable String rotationPeriod;
        private boolean hasRotationPeriod;
        private @Nullable String subject;
        private boolean hasSubject;

        @Schema(description = "ISO-8601 duration from PT1H to P3650D, such as P30D or PT12H", example = "P30D")
        public @Nullable String getRotationPeriod() {
            return rotationPeriod;
        }

        public void setRotationPeriod(@Nullable String rotationPeriod) {
            this.rotationPeriod = rotationPeriod;
            this.hasRotationPeriod = true;
        }

        @Schema(description = "mailto: address or https: URL, at most 255 characters; null removes it", nullable = true,
                example = "mailto:push@example.com")
        public @Nullable String getSubject() {
            return subject;
        }

        public void setSubject(@Nullable String subject) {
            this.subject = subject;
            this.hasSubject = true;
        }

        boolean hasRotationPeriod() {
            return hasRotationPeriod;
        }

        boolean hasSubject() {
            return hasSubject;
        }

        @Nullable String subject() {
            return subject;
        }

        /** The period asked for; call only after {@link #violations()} found none. */
        @Nullable Duration period() {
            return rotationPeriod == null ? null : Duration.parse(rotationPeriod);
        }

        /** What is wrong with the body, field by field; empty when it may be applied. */
        List<FieldViolation> violations() {
            List<FieldViolation> errors = new ArrayList<>();
            if (hasRotationPeriod) {
                String problem = rotationPeriod == null ? "must not be null (leave the field out to keep its value)" : periodProblem(rotationPeriod);
                if (problem != null) {
                    errors.add(new FieldViolation("rotationPeriod", problem));
                }
            }
            if (hasSubject && subject != null) {
                String problem = subjectProblem(subject);
                if (problem != null) {
                    errors.add(new FieldViolation("subject", problem));
                }
            }
            return errors;
        }
    }

    static @Nullable String periodProblem(String text) {
        Duration period;
        try {
            period = Duration.parse(text);
        }
        catch (DateTimeParseException e) {
            return "must be an ISO-8601 duration such as P30D or PT12H";
        }
        if (period.getNano() != 0) {
            return "must be a whole number of seconds";
        }
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            return "must be between PT1H (one hour) and P3650D (ten years)";
        }
        return null;
    }

    static @Nullable String subjectProblem(String subject) {
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            return "must be at most " + MAX_SUBJECT_LENGTH + " characters";
        }
        if (subject.startsWith("mailto:")) {
            return MAILTO.matcher(subject).matches() ? null : "must be a mailto: address such as mailto:push@example.com";
        }
        if (subject.startsWith("https://")) {
            try {
                URI uri = new URI(subject);
                return uri.getHost() == null || uri.getHost().isEmpty() ? "must be an https: URL with a host" : null;
            }
            catch (URISyntaxException e) {
                return "must be an https: URL such as https://example.com/contact";
            }
        }
        return "must start with mailto: or https:// (push services contact you there)";
    }

    /** The ISO-8601 text of a period: whole days as {@code P30D}, anything else as Duration prints it ({@code PT36H}). */
    static String format(Duration period) {
        long seconds = period.getSeconds();
        return seconds % 86_400 == 0 ? "P" + seconds / 86_400 + "D" : period.toString();
    }
}
