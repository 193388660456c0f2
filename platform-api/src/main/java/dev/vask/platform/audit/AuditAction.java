package dev.vask.platform.audit;

/** What an audit entry records; {@link #value()} is what the API shows and the database stores. */
public enum AuditAction {

    TENANT_CREATED("tenant.created", "tenant"),
    TENANT_RENAMED("tenant.renamed", "tenant"),
    TENANT_DELETED("tenant.deleted", "tenant"),
    TENANT_PLAN_CHANGED("tenant.plan_changed", "tenant"),
    INVITATION_CREATED("invitation.created", "invitation"),
    INVITATION_REVOKED("invitation.revoked", "invitation"),
    INVITATION_DECLINED("invitation.declined", "invitation"),
    /** The invited person accepted: the only way into a tenant but creating it (older logs also have {@code member.added}). */
    MEMBER_JOINED("member.joined", "member"),
    MEMBER_ROLE_CHANGED("member.role_changed", "member"),
    MEMBER_REMOVED("member.removed", "member"),
    MEMBER_LEFT("member.left", "member"),
    APP_CREATED("app.created", "app"),
    APP_UPDATED("app.updated", "app"),
    APP_DELETED("app.deleted", "app"),
    KEY_CREATED("key.created", "key"),
    KEY_REVOKED("key.revoked", "key"),
    /** The app's Web Push rotation period or subject changed (target: the app id). */
    VAPID_UPDATED("vapid.updated", "app"),
    /** The app's Web Push key was replaced, on request or on schedule; the old pair and its subscriptions are gone. */
    VAPID_ROTATED("vapid.rotated", "app");

    private final String value;
    private final String targetType;

    AuditAction(String value, String targetType) {
        this.value = value;
        this.targetType = targetType;
    }

    public String value() {
        return value;
    }

    /** What kind of thing the entry's target id names: tenant, member (account id), invitation, app or key (the public key). */
    public String targetType() {
        return targetType;
    }
}
