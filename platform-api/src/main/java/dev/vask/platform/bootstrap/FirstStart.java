package dev.vask.platform.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * What the start-up found or created, for {@link ConnectionBanner}. Secrets are set only on the start
 * that created them (and only when Vask generated them), so they are printed once.
 *
 * @param created true on the first start, when the tenant, admin and demo app were created now
 * @param appId the demo app's id on the first start, else the first app's id
 * @param appKey that app's first active key, if any
 * @param generatedSecret the secret, only when generated on this start
 * @param adminEmail the admin account's email, only on the first start
 * @param generatedAdminPassword the admin password, only when generated on this start
 */
public record FirstStart(boolean created, long appId, @Nullable String appKey, @Nullable String generatedSecret,
        @Nullable String adminEmail, @Nullable String generatedAdminPassword) {

    @Override
    public String toString() {
        return "FirstStart[created=" + created + ", appId=" + appId + ", appKey=" + appKey + "]";
    }
}
