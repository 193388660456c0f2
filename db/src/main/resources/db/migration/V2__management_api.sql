-- Vask management API: sign-in sessions, personal access tokens, login throttling, the audit log
-- and per-day usage. As in V1, every rule the application relies on is also a constraint here.

-- A signed-in browser (the dashboard). The cookie carries 32 random bytes; only their SHA-256 is
-- stored, so a copy of this table does not let anyone sign in.
create table account_sessions (
    id            bigint generated always as identity primary key,
    account_id    bigint      not null references accounts (id) on delete cascade,
    token_hash    bytea       not null,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    constraint account_sessions_token_hash_unique unique (token_hash),
    constraint account_sessions_token_hash_length check (length(token_hash) = 32),
    constraint account_sessions_expires_after_created check (expires_at > created_at)
);
create index account_sessions_account on account_sessions (account_id);

-- Personal access tokens for the management API (Authorization: Bearer vask_pat_...).
-- Shown once at creation; stored as SHA-256 (the token has 256 random bits, so a fast hash is enough).
create table api_tokens (
    id            bigint generated always as identity primary key,
    account_id    bigint      not null references accounts (id) on delete cascade,
    name          text        not null,
    token_hash    bytea       not null,
    token_hint    text        not null,
    scopes        text[]      not null,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    constraint api_tokens_token_hash_unique unique (token_hash),
    constraint api_tokens_token_hash_length check (length(token_hash) = 32),
    constraint api_tokens_name_length check (length(btrim(name)) between 1 and 100),
    constraint api_tokens_scopes check (cardinality(scopes) between 1 and 2 and scopes <@ array['read', 'write']::text[]),
    constraint api_tokens_expires_after_created check (expires_at is null or expires_at > created_at),
    constraint api_tokens_revoked_after_created check (revoked_at is null or revoked_at >= created_at)
);
create index api_tokens_account on api_tokens (account_id);

-- Failed sign-ins per subject ('account:<lower(email)>' or 'address:<client ip>'), shared by every node.
-- After a number of failures the subject is locked until locked_until; a quiet window forgets them.
create table login_throttle (
    subject          text        primary key,
    failures         integer     not null,
    last_failure_at  timestamptz not null,
    locked_until     timestamptz,
    constraint login_throttle_failures_positive check (failures > 0),
    constraint login_throttle_subject_length check (length(subject) <= 300)
);

-- Who did what to which tenant, member, app or key. tenant_id has no foreign key on purpose:
-- the entry that records a tenant's deletion outlives the tenant (for the operator).
create table audit_events (
    id                bigint generated always as identity primary key,
    tenant_id         bigint      not null,
    actor_account_id  bigint      references accounts (id) on delete set null,
    actor_email       text        not null,
    action            text        not null,
    target_type       text        not null,
    target_id         text        not null,
    details           jsonb       not null default '{}'::jsonb,
    created_at        timestamptz not null default now(),
    constraint audit_events_action_format check (action ~ '^[a-z]+\.[a-z_]+$'),
    constraint audit_events_target_type check (target_type in ('tenant', 'member', 'app', 'key')),
    constraint audit_events_details_object check (jsonb_typeof(details) = 'object')
);
create index audit_events_tenant on audit_events (tenant_id, id desc);

-- Usage per app and UTC day. Nodes count in memory and add their deltas here periodically
-- (insert ... on conflict do update set x = x + excluded.x). Deleting an app deletes its usage.
create table app_usage_daily (
    app_id            bigint  not null references apps (id) on delete cascade,
    day               date    not null,
    peak_connections  bigint  not null default 0,
    api_messages      bigint  not null default 0,
    client_events     bigint  not null default 0,
    deliveries        bigint  not null default 0,
    rejected          bigint  not null default 0,
    primary key (app_id, day),
    constraint app_usage_daily_non_negative check (peak_connections >= 0 and api_messages >= 0 and client_events >= 0
        and deliveries >= 0 and rejected >= 0)
);

-- Each node's open sockets per app, as of its last flush: the cluster-wide peak of a day is the
-- highest sum over the nodes that reported recently. A node removes its rows when it stops;
-- rows of a node that died stop counting once they are older than a few flush intervals.
create table app_node_connections (
    app_id       bigint      not null references apps (id) on delete cascade,
    node_id      text        not null,
    connections  integer     not null,
    peak         integer     not null,
    reported_at  timestamptz not null,
    primary key (app_id, node_id),
    constraint app_node_connections_counts check (connections >= 0 and peak >= connections)
);

-- A revoked key stays revoked, and a key never changes its app, its value or its secret: rotating
-- means creating a new key. Concurrent edits cannot undo a revocation, and neither can a hand-written UPDATE.
create function vask_app_key_immutable() returns trigger
    language plpgsql as
$$
begin
    if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
        raise exception 'app key % is revoked and stays revoked', old.key
            using errcode = 'check_violation', constraint = 'app_keys_revoked_stays_revoked';
    end if;
    if new.key is distinct from old.key or new.app_id is distinct from old.app_id
            or new.secret_ciphertext is distinct from old.secret_ciphertext then
        raise exception 'app key % cannot change its app, key or secret; create a new key instead', old.key
            using errcode = 'check_violation', constraint = 'app_keys_immutable';
    end if;
    return new;
end;
$$;

create trigger app_keys_immutable
    before update on app_keys
    for each row execute function vask_app_key_immutable();

-- A tenant always has an owner: checked at commit, so a transaction may hand the role over in
-- several steps. Deleting the tenant itself (which removes its members) is allowed.
create function vask_tenant_keeps_an_owner() returns trigger
    language plpgsql as
$$
begin
    if exists (select 1 from tenants t where t.id = old.tenant_id)
            and not exists (select 1 from tenant_members m where m.tenant_id = old.tenant_id and m.role = 'owner') then
        raise exception 'tenant % must keep at least one owner', old.tenant_id
            using errcode = 'check_violation', constraint = 'tenant_members_last_owner';
    end if;
    return null;
end;
$$;

create constraint trigger tenant_members_keep_an_owner
    after update or delete on tenant_members
    deferrable initially deferred
    for each row execute function vask_tenant_keeps_an_owner();
