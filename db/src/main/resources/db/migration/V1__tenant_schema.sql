-- Vask tenant schema, first version.
-- Every rule the application relies on is also a constraint here, so that no code path
-- (or a hand-written UPDATE) can leave the data in a state the application cannot read.

-- One row, written at the first start: proves that VASK_MASTER_KEY is the key the secrets in
-- this database were encrypted with. A wrong key fails start-up instead of producing garbage.
create table vask_instance (
    singleton          boolean     primary key default true check (singleton),
    master_key_check   bytea       not null,
    created_at         timestamptz not null default now()
);

-- People who sign in (dashboard, management API).
create table accounts (
    id              bigint generated always as identity primary key,
    email           text        not null,
    password_hash   text        not null,
    display_name    text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint accounts_email_format check (length(email) between 3 and 254 and email ~ '^[^@\s]+@[^@\s]+$'),
    constraint accounts_display_name_length check (display_name is null or length(display_name) <= 100),
    constraint accounts_password_hash_present check (length(password_hash) > 0)
);
-- Email is unique whatever its case: Ada@Example.com and ada@example.com are one account.
create unique index accounts_email_unique on accounts (lower(email));

-- The organisation that owns apps. An account gets one when it signs up.
create table tenants (
    id          bigint generated always as identity primary key,
    name        text        not null,
    created_at  timestamptz not null default now(),
    constraint tenants_name_length check (length(btrim(name)) between 1 and 100)
);

create table tenant_members (
    tenant_id   bigint      not null references tenants (id) on delete cascade,
    account_id  bigint      not null references accounts (id) on delete cascade,
    role        text        not null,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, account_id),
    constraint tenant_members_role check (role in ('owner', 'admin', 'developer', 'viewer'))
);
create index tenant_members_account on tenant_members (account_id);

-- App ids are numeric (what the official SDKs send). A sequence rather than an identity column,
-- so that an operator may fix the id of the first app (VASK_BOOTSTRAP_APP_ID).
create sequence app_id_seq start with 100001;

create table apps (
    id                            bigint      primary key default nextval('app_id_seq'),
    tenant_id                     bigint      not null references tenants (id) on delete cascade,
    name                          text        not null,
    enabled                       boolean     not null default true,
    -- toggles
    client_events_enabled         boolean     not null default false,
    user_authentication_required  boolean     not null default false,
    watchlist_events_enabled      boolean     not null default false,
    subscription_count_enabled    boolean     not null default false,
    web_push_enabled              boolean     not null default false,
    -- limits (null = no limit)
    max_connections               integer,
    max_message_bytes             integer     not null default 10240,
    client_events_per_second      integer     not null default 10,
    max_presence_members          integer     not null default 100,
    max_messages_per_day          bigint,
    created_at                    timestamptz not null default now(),
    updated_at                    timestamptz not null default now(),
    constraint apps_id_positive check (id > 0),
    constraint apps_name_length check (length(btrim(name)) between 1 and 100),
    constraint apps_max_connections check (max_connections is null or max_connections >= 0),
    constraint apps_max_message_bytes check (max_message_bytes between 1 and 1048576),
    constraint apps_client_events_per_second check (client_events_per_second between 1 and 1000),
    constraint apps_max_presence_members check (max_presence_members between 1 and 10000),
    constraint apps_max_messages_per_day check (max_messages_per_day is null or max_messages_per_day >= 0)
);
create index apps_tenant on apps (tenant_id);

-- Several key/secret pairs per app, so a secret can be rolled without downtime.
-- The secret is AES-256-GCM ciphertext under the master key (nonce || ciphertext || tag).
create table app_keys (
    id                 bigint generated always as identity primary key,
    app_id             bigint      not null references apps (id) on delete cascade,
    key                text        not null,
    secret_ciphertext  bytea       not null,
    label              text,
    created_at         timestamptz not null default now(),
    revoked_at         timestamptz,
    constraint app_keys_key_unique unique (key),
    -- keys travel in URL paths (/app/{key}) and must never be mistaken for a numeric app id
    constraint app_keys_key_format check (key ~ '^[A-Za-z0-9_-]{3,64}$' and key !~ '^[0-9]+$'),
    constraint app_keys_label_length check (label is null or length(label) <= 100),
    constraint app_keys_secret_ciphertext_length check (length(secret_ciphertext) >= 29),
    constraint app_keys_revoked_after_created check (revoked_at is null or revoked_at >= created_at)
);
create index app_keys_app on app_keys (app_id);

-- VAPID key pairs for Web Push. One current pair per app; retired pairs are kept until deleted.
-- public_key is the 65-byte uncompressed P-256 point, base64url without padding (87 characters).
create table vapid_keys (
    id                      bigint generated always as identity primary key,
    app_id                  bigint      not null references apps (id) on delete cascade,
    public_key              text        not null,
    private_key_ciphertext  bytea       not null,
    created_at              timestamptz not null default now(),
    retired_at              timestamptz,
    constraint vapid_keys_public_key_format check (public_key ~ '^B[A-Za-z0-9_-]{86}$'),
    constraint vapid_keys_private_key_ciphertext_length check (length(private_key_ciphertext) >= 29),
    constraint vapid_keys_retired_after_created check (retired_at is null or retired_at >= created_at)
);
create unique index vapid_keys_one_current_per_app on vapid_keys (app_id) where retired_at is null;

-- Every node keeps a cache of apps and keys. A change to either is announced on the
-- vask_app_changes channel with the app id as payload; nodes LISTEN and evict at once.
create function vask_notify_app_change() returns trigger
    language plpgsql as
$$
declare
    changed_app bigint;
begin
    if tg_table_name = 'apps' then
        changed_app := coalesce(new.id, old.id);
    else
        changed_app := coalesce(new.app_id, old.app_id);
    end if;
    perform pg_notify('vask_app_changes', changed_app::text);
    return null;
end;
$$;

create trigger apps_notify_change
    after insert or update or delete on apps
    for each row execute function vask_notify_app_change();

create trigger app_keys_notify_change
    after insert or update or delete on app_keys
    for each row execute function vask_notify_app_change();
