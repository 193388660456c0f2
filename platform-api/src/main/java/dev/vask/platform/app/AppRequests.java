package dev.vask.platform.app;

import java.util.ArrayList;
import java.util.List;

import dev.vask.platform.management.ApiRequest;
import dev.vask.platform.management.FieldViolation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request bodies of the app endpoints. */
public final class AppRequests {

    static final String NAME_PATTERN = "^[^\\p{Cntrl}]*$";
    static final String NULL_REFUSED = "must not be null (leave the field out to keep its value)";

    private AppRequests() {
    }

    /** Create an app. Toggles and limits not given keep their defaults; limits need the admin or owner role. */
    public record NewApp(
            @Schema(description = "1 to 100 characters", example = "Chat")
            @NotBlank(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters")
            @Pattern(regexp = NAME_PATTERN, message = "must not contain control characters") @Nullable String name,
            @Schema(description = "default true") @Nullable Boolean enabled,
            @Valid @Nullable FeaturesPatch features,
            @Valid @Nullable LimitsPatch limits)
            implements ApiRequest {
    }

    /**
     * Change an app: only the fields present change. Toggles and limits are merged field by field.
     * Changing limits needs the admin or owner role; a developer sending {@code limits} gets 403 and
     * nothing changes. A field sent as null is refused: leave it out to keep its value. (A class rather
     * than a record, so that an explicit null can be told from an absent field.)
     */
    @Schema(description = "Fields to change; absent ones keep their value. Null is refused here (limits.maxConnections and "
            + "limits.maxMessagesPerDay take null for no limit).")
    public static final class AppPatch implements ApiRequest {

        private final Present present = new Present();
        private @Nullable String name;
        private @Nullable Boolean enabled;
        private @Nullable FeaturesPatch features;
        private @Nullable LimitsPatch limits;

        @Schema(description = "1 to 100 characters", example = "Chat (production)")
        @Size(min = 1, max = 100, message = "must be 1 to 100 characters")
        @Pattern(regexp = NAME_PATTERN, message = "must not contain control characters")
        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = present.set("name", name);
        }

        @Schema(description = "false closes the app's sockets and refuses new ones")
        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = present.set("enabled", enabled);
        }

        public @Valid @Nullable FeaturesPatch getFeatures() {
            return features;
        }

        public void setFeatures(@Nullable FeaturesPatch features) {
            this.features = present.set("features", features);
        }

        public @Valid @Nullable LimitsPatch getLimits() {
            return limits;
        }

        public void setLimits(@Nullable LimitsPatch limits) {
            this.limits = present.set("limits", limits);
        }

        public @Nullable String name() {
            return name;
        }

        public @Nullable Boolean enabled() {
            return enabled;
        }

        public @Nullable FeaturesPatch features() {
            return features;
        }

        public @Nullable LimitsPatch limits() {
            return limits;
        }

        /** Fields sent as null, nested ones included, each with its path. */
        List<FieldViolation> nullViolations() {
            List<FieldViolation> errors = present.nulls("");
            if (features != null) {
                errors.addAll(features.nullViolations("features."));
            }
            if (limits != null) {
                errors.addAll(limits.nullViolations("limits."));
            }
            return errors;
        }
    }

    /** Toggles to change; absent ones keep their value, and null is refused (a toggle is true or false). */
    public static final class FeaturesPatch {

        private final Present present = new Present();
        private @Nullable Boolean clientEvents;
        private @Nullable Boolean userAuthenticationRequired;
        private @Nullable Boolean watchlistEvents;
        private @Nullable Boolean subscriptionCount;
        private @Nullable Boolean webPush;
        private @Nullable Boolean pushFallback;

        public @Nullable Boolean getClientEvents() {
            return clientEvents;
        }

        public void setClientEvents(@Nullable Boolean value) {
            clientEvents = present.set("clientEvents", value);
        }

        public @Nullable Boolean getUserAuthenticationRequired() {
            return userAuthenticationRequired;
        }

        public void setUserAuthenticationRequired(@Nullable Boolean value) {
            userAuthenticationRequired = present.set("userAuthenticationRequired", value);
        }

        public @Nullable Boolean getWatchlistEvents() {
            return watchlistEvents;
        }

        public void setWatchlistEvents(@Nullable Boolean value) {
            watchlistEvents = present.set("watchlistEvents", value);
        }

        public @Nullable Boolean getSubscriptionCount() {
            return subscriptionCount;
        }

        public void setSubscriptionCount(@Nullable Boolean value) {
            subscriptionCount = present.set("subscriptionCount", value);
        }

        public @Nullable Boolean getWebPush() {
            return webPush;
        }

        public void setWebPush(@Nullable Boolean value) {
            webPush = present.set("webPush", value);
        }

        public @Nullable Boolean getPushFallback() {
            return pushFallback;
        }

        public void setPushFallback(@Nullable Boolean value) {
            pushFallback = present.set("pushFallback", value);
        }

        List<FieldViolation> nullViolations(String prefix) {
            return present.nulls(prefix);
        }

        AppView.Features applyTo(AppView.Features current) {
            return new AppView.Features(
                    clientEvents != null ? clientEvents : current.clientEvents(),
                    userAuthenticationRequired != null ? userAuthenticationRequired : current.userAuthenticationRequired(),
                    watchlistEvents != null ? watchlistEvents : current.watchlistEvents(),
                    subscriptionCount != null ? subscriptionCount : current.subscriptionCount(),
                    webPush != null ? webPush : current.webPush(),
                    pushFallback != null ? pushFallback : current.pushFallback());
        }
    }

    /** The fields a request body named, and which of them it sent as null. */
    static final class Present {

        private final List<String> nulls = new ArrayList<>(0);

        <T> @Nullable T set(String field, @Nullable T value) {
            if (value == null) {
                nulls.add(field);
            }
            return value;
        }

        List<FieldViolation> nulls(String prefix) {
            List<FieldViolation> errors = new ArrayList<>(nulls.size());
            for (String field : nulls) {
                errors.add(new FieldViolation(prefix + field, NULL_REFUSED));
            }
            return errors;
        }
    }

    /**
     * Limits to change; absent ones keep their value. {@code maxConnections} and {@code maxMessagesPerDay}
     * accept null, meaning no limit; the others must be numbers. (A class rather than a record, so that
     * an explicit null can be told from an absent field.)
     */
    @Schema(description = "Limits to change; absent ones keep their value. maxConnections and maxMessagesPerDay accept null for no limit.")
    public static final class LimitsPatch {

        private @Nullable Integer maxConnections;
        private boolean hasMaxConnections;
        private @Nullable Integer maxMessageBytes;
        private boolean hasMaxMessageBytes;
        private @Nullable Integer clientEventsPerSecond;
        private boolean hasClientEventsPerSecond;
        private @Nullable Integer maxPresenceMembers;
        private boolean hasMaxPresenceMembers;
        private @Nullable Long maxMessagesPerDay;
        private boolean hasMaxMessagesPerDay;

        @Schema(description = "0 to 10000000, or null for no limit", nullable = true, example = "1000")
        @Min(value = 0, message = "must be between 0 and 10000000, or null for no limit")
        @Max(value = 10_000_000, message = "must be between 0 and 10000000, or null for no limit")
        public @Nullable Integer getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(@Nullable Integer maxConnections) {
            this.maxConnections = maxConnections;
            this.hasMaxConnections = true;
        }

        @Schema(description = "1 to 1048576", example = "10240")
        @Min(value = 1, message = "must be between 1 and 1048576") @Max(value = 1_048_576, message = "must be between 1 and 1048576")
        public @Nullable Integer getMaxMessageBytes() {
            return maxMessageBytes;
        }

        public void setMaxMessageBytes(@Nullable Integer maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            this.hasMaxMessageBytes = true;
        }

        @Schema(description = "1 to 1000", example = "10")
        @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
        public @Nullable Integer getClientEventsPerSecond() {
            return clientEventsPerSecond;
        }

        public void setClientEventsPerSecond(@Nullable Integer clientEventsPerSecond) {
            this.clientEventsPerSecond = clientEventsPerSecond;
            this.hasClientEventsPerSecond = true;
        }

        @Schema(description = "1 to 10000", example = "100")
        @Min(value = 1, message = "must be between 1 and 10000") @Max(value = 10_000, message = "must be between 1 and 10000")
        public @Nullable Integer getMaxPresenceMembers() {
            return maxPresenceMembers;
        }

        public void setMaxPresenceMembers(@Nullable Integer maxPresenceMembers) {
            this.maxPresenceMembers = maxPresenceMembers;
            this.hasMaxPresenceMembers = true;
        }

        @Schema(description = "0 to 1000000000000, or null for no quota", nullable = true, example = "200000")
        @Min(value = 0, message = "must be between 0 and 1000000000000, or null for no quota")
        @Max(value = 1_000_000_000_000L, message = "must be between 0 and 1000000000000, or null for no quota")
        public @Nullable Long getMaxMessagesPerDay() {
            return maxMessagesPerDay;
        }

        public void setMaxMessagesPerDay(@Nullable Long maxMessagesPerDay) {
            this.maxMessagesPerDay = maxMessagesPerDay;
            this.hasMaxMessagesPerDay = true;
        }

        /** True when the body names no limit at all. */
        boolean empty() {
            return !hasMaxConnections && !hasMaxMessageBytes && !hasClientEventsPerSecond && !hasMaxPresenceMembers && !hasMaxMessagesPerDay;
        }

        /** Explicit nulls where a number is required. */
        List<FieldViolation> nullViolations(String prefix) {
            List<FieldViolation> errors = new ArrayList<>();
            if (hasMaxMessageBytes && maxMessageBytes == null) {
                errors.add(new FieldViolation(prefix + "maxMessageBytes", "must be a number"));
            }
            if (hasClientEventsPerSecond && clientEventsPerSecond == null) {
                errors.add(new FieldViolation(prefix + "clientEventsPerSecond", "must be a number"));
            }
            if (hasMaxPresenceMembers && maxPresenceMembers == null) {
                errors.add(new FieldViolation(prefix + "maxPresenceMembers", "must be a number"));
            }
            return errors;
        }

        AppView.Limits applyTo(AppView.Limits current) {
            return new AppView.Limits(
                    hasMaxConnections ? maxConnections : current.maxConnections(),
                    hasMaxMessageBytes && maxMessageBytes != null ? maxMessageBytes : current.maxMessageBytes(),
                    hasClientEventsPerSecond && clientEventsPerSecond != null ? clientEventsPerSecond : current.clientEventsPerSecond(),
                    hasMaxPresenceMembers && maxPresenceMembers != null ? maxPresenceMembers : current.maxPresenceMembers(),
                    hasMaxMessagesPerDay ? maxMessagesPerDay : current.maxMessagesPerDay());
        }
    }
}
