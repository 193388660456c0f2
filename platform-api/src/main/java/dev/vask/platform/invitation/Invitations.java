package dev.vask.platform.invitation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import dev.vask.platform.account.AccountProperties;
import dev.vask.platform.account.EmailAddress;
import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.mail.Mail;
import dev.vask.platform.mail.MailOutbox;
import dev.vask.platform.edge.PublicUrl;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.OpaqueTokens;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.Role;
import dev.vask.platform.management.TenantAccess;
import dev.vask.platform.tenant.TenantMembers;
import dev.vask.platform.tenant.TenantService;
import dev.vask.platform.tenant.TenantView;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Invitations to join a tenant. Inviting answers the same whether or not an account has the address
 * (so it tells nobody who has an account), and mails a link to the address. Only an account whose
 * address is that address, verified, can accept: membership never follows from anyone else's word.
 * Accepting, declining and revoking delete the invitation; the audit log keeps each step.
 */
@Service
public class Invitations {

    private static final Logger log = LoggerFactory.getLogger(Invitations.class);
    private static final String COLUMNS = "i.id, i.tenant_id, i.email, i.role, i.invited_by_email, i.created_at, i.expires_at";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final TenantService tenants;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final PublicUrl publicUrl;
    private final AccountProperties properties;

    public Invitations(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, TenantService tenants,
            AuditLog audit, MailOutbox outbox, PublicUrl publicUrl, AccountProperties properties) {
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.tenants = tenants;
        this.audit = audit;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
        this.properties = properties;
    }

    /**
     * Invites the address with a role (admins; only owners invite owners). Inviting an address that has
     * an open invitation sends a new one in its place. 409 {@code already-member} if a member has the address.
     */
    public Mono<InvitationView> invite(Caller caller, long tenantId, String email, Role role) {
        String address = EmailAddress.normalize(email);
        if (EmailAddress.problem(address).isPresent()) {
            return Mono.error(ApiException.invalid("email", EmailAddress.problem(address).get()));
        }
        String token = OpaqueTokens.random();
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(properties.invitationLifetime());
        Mono<InvitationView> invite = access.requireTenant(caller, tenantId, Permission.MANAGE_MEMBERS, true)
                .flatMap(callerRole -> TenantMembers.requireOwnerRights(callerRole, role == Role.OWNER))
                .then(database.sql("select exists (select 1 from tenant_members m join accounts a on a.id = m.account_id "
                                + "where m.tenant_id = :tenant and lower(a.email) = lower(:email)) as member")
                        .bind("tenant", tenantId)
                        .bind("email", address)
                        .map(row -> Boolean.TRUE.equals(row.get("member", Boolean.class)))
                        .one())
                .flatMap(member -> member
                        ? Mono.error(ApiException.conflict("already-member", "Already a member", address + " is a member of tenant " + tenantId
                                + " already"))
                        : database.sql("""
                                        insert into invitations (tenant_id, email, role, token_hash, invited_by, invited_by_email, expires_at)
                                        select :tenant, :email, :role, :hash, :caller, :callerEmail, :expires
                                        where %s
                                        on conflict (tenant_id, lower(email)) do update set email = excluded.email, role = excluded.role,
                                            token_hash = excluded.token_hash, invited_by = excluded.invited_by,
                                            invited_by_email = excluded.invited_by_email, created_at = now(), expires_at = excluded.expires_at
                                        returning %s""".formatted(TenantAccess.memberWithRole(":tenant"), COLUMNS.replace("i.", "")))
                                .bind("tenant", tenantId)
                                .bind("email", address)
                                .bind("role", role.value())
                                .bind("hash", OpaqueTokens.sha256(token))
                                .bind("caller", caller.accountId())
                                .bind("callerEmail", caller.email())
                                .bind("expires", expires)
                                .bind("roles", Permission.MANAGE_MEMBERS.roleValues())
                                .map(Invitations::view)
                                .one()
                                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId))))
                .flatMap(invitation -> audit.record(caller, tenantId, AuditAction.INVITATION_CREATED, Long.toString(invitation.id()),
                                Map.of("email", address, "role", role.value()))
                        .then(tenantName(tenantId))
                        .doOnNext(tenantName -> outbox.post(mail(address, tenantName, caller.email(), role,
                                publicUrl.dashboard("/invitations", token).toString())))
                        .thenReturn(invitation))
                .doOnNext(invitation -> log.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("invitationId", invitation.id())
                        .log("Invitation sent"));
        return transactions.transactional(invite);
    }

    /** The tenant's open invitations (any member). */
    public Flux<InvitationView> listForTenant(Caller caller, long tenantId) {
        return access.requireTenant(caller, tenantId, Permission.READ, false)
                .thenMany(database.sql("select " + COLUMNS + " from invitations i where i.tenant_id = :tenant and i.expires_at > now() and "
                                + TenantAccess.memberWithRole("i.tenant_id") + " order by i.created_at, i.id")
                        .bind("tenant", tenantId)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ.roleValues())
                        .map(Invitations::view)
                        .all());
    }

    /** Withdraws an open invitation (admins; only owners withdraw an owner invitation). */
    public Mono<Void> revoke(Caller caller, long tenantId, long invitationId) {
        Mono<Void> revoke = access.requireTenant(caller, tenantId, Permission.MANAGE_MEMBERS, true)
                .flatMap(callerRole -> database.sql("select " + COLUMNS + " from invitations i where i.id = :id and i.tenant_id = :tenant")
                        .bind("id", invitationId)
                        .bind("tenant", tenantId)
                        .map(Invitations::view)
                        .one()
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("No invitation " + invitationId + " in tenant " + tenantId)))
                        .flatMap(invitation -> TenantMembers.requireOwnerRights(callerRole, Role.OWNER.value().equals(invitation.role()))
                                .then(database.sql("delete from invitations i where i.id = :id and "
                                                + TenantAccess.memberWithRole("i.tenant_id"))
                                        .bind("id", invitationId)
                                        .bind("caller", caller.accountId())
                                        .bind("roles", Permission.MANAGE_MEMBERS.roleValues())
                                        .then())
                                .then(audit.record(caller, tenantId, AuditAction.INVITATION_REVOKED, Long.toString(invitationId),
                                        Map.of("email", invitation.email(), "role", invitation.role())))));
        return transactions.transactional(revoke);
    }

    /** The open invitations to the caller's address; 403 {@code address-unverified} until it is verified. */
    public Flux<ReceivedInvitationView> received(Caller caller) {
        return verifiedAddress(caller)
                .flatMapMany(address -> database.sql("select " + COLUMNS + ", t.name as tenant_name from invitations i "
                                + "join tenants t on t.id = i.tenant_id where lower(i.email) = lower(:email) and i.expires_at > now() "
                                + "order by i.created_at, i.id")
                        .bind("email", address)
                        .map(row -> new ReceivedInvitationView(row.get("id", Long.class), row.get("tenant_id", Long.class),
                                row.get("tenant_name", String.class), row.get("role", String.class), row.get("invited_by_email", String.class),
                                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("expires_at", OffsetDateTime.class).toInstant()))
                        .all());
    }

    /** Joins the tenant with the invitation's role; answers the tenant as the new member sees it. */
    public Mono<TenantView> accept(Caller caller, long invitationId) {
        return verifiedAddress(caller).flatMap(address -> join(caller, address, "i.id = :key", invitationId));
    }

    /** As {@link #accept}, naming the invitation by the token of its link. */
    public Mono<TenantView> acceptWithToken(Caller caller, String token) {
        return verifiedAddress(caller).flatMap(address -> join(caller, address, "i.token_hash = :key", OpaqueTokens.sha256(token)));
    }

    /** Turns the invitation down; its tenant's admins see it gone, and the audit log says why. */
    public Mono<Void> decline(Caller caller, long invitationId) {
        Mono<Void> decline = verifiedAddress(caller)
                .flatMap(address -> database.sql("delete from invitations i where i.id = :id and lower(i.email) = lower(:email) "
                                + "and i.expires_at > now() returning i.tenant_id, i.role")
                        .bind("id", invitationId)
                        .bind("email", address)
                        .map(row -> Map.entry(row.get("tenant_id", Long.class), row.get("role", String.class)))
                        .one()
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("No open invitation " + invitationId + " for " + address)))
                        .flatMap(declined -> audit.record(caller, declined.getKey(), AuditAction.INVITATION_DECLINED,
                                Long.toString(invitationId), Map.of("email", address, "role", declined.getValue()))));
        return transactions.transactional(decline);
    }

    private Mono<TenantView> join(Caller caller, String address, String condition, Object key) {
        Mono<TenantView> join = database.sql("select " + COLUMNS + " from invitations i where " + condition
                        + " and lower(i.email) = lower(:email) and i.expires_at > now() for update of i")
                .bind("key", key)
                .bind("email", address)
                .map(Invitations::view)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No open invitation with this "
                        + (condition.startsWith("i.id") ? "id (" + key + ")" : "link") + " for " + address
                        + "; it may have expired, been revoked, or been sent to another address")))
                .flatMap(invitation -> database.sql("insert into tenant_members (tenant_id, account_id, role) values (:tenant, :account, :role) "
                                + "on conflict (tenant_id, account_id) do nothing")
                        .bind("tenant", invitation.tenantId())
                        .bind("account", caller.accountId())
                        .bind("role", invitation.role())
                        .fetch().rowsUpdated()
                        .flatMap(inserted -> database.sql("delete from invitations where id = :id").bind("id", invitation.id()).then()
                                .then(inserted == 1
                                        ? audit.record(caller, invitation.tenantId(), AuditAction.MEMBER_JOINED, Long.toString(caller.accountId()),
                                                Map.of("email", address, "role", invitation.role(), "invitedBy", invitation.invitedBy(),
                                                        "invitationId", invitation.id()))
                                        : Mono.empty()))
                        .then(tenants.get(caller, invitation.tenantId()))
                        .doOnNext(tenant -> log.atInfo().addKeyValue("tenantId", tenant.id()).addKeyValue("accountId", caller.accountId())
                                .log("Invitation accepted")));
        return transactions.transactional(join);
    }

    /** The caller's address if it is verified; 403 {@code address-unverified} otherwise. */
    private Mono<String> verifiedAddress(Caller caller) {
        return database.sql("select email, email_verified_at is not null as verified from accounts where id = :id")
                .bind("id", caller.accountId())
                .map(row -> Map.entry(row.get("email", String.class), Boolean.TRUE.equals(row.get("verified", Boolean.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("This account no longer exists")))
                .flatMap(account -> account.getValue() ? Mono.just(account.getKey())
                        : Mono.error(ApiException.of(HttpStatus.FORBIDDEN, "address-unverified", "Address not verified",
                                "Verify your address " + account.getKey() + " first (follow the link mailed to it, or ask for a new one "
                                        + "with POST /api/v1/account/verification-mail): only a verified address sees and accepts invitations")));
    }

    private Mono<String> tenantName(long tenantId) {
        return database.sql("select name from tenants where id = :id").bind("id", tenantId).map(row -> row.get("name", String.class)).one();
    }

    private static Mail mail(String to, String tenantName, String invitedBy, Role role, String link) {
        return new Mail(to, "You are invited to " + tenantName + " on Vask", """
                %s invited you to join the tenant "%s" on Vask as %s.

                To accept or decline, open this link:

                %s

                You need a Vask account with this address (%s), and the address verified: sign up
                with it if you have no account yet. Until you accept, you see nothing of the tenant.
                If you do not know the sender, ignore this mail.
                """.formatted(invitedBy, tenantName, role.value(), link, to), link);
    }

    private static InvitationView view(Readable row) {
        return new InvitationView(row.get("id", Long.class), row.get("tenant_id", Long.class), row.get("email", String.class),
                row.get("role", String.class), row.get("invited_by_email", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("expires_at", OffsetDateTime.class).toInstant());
    }
}
