-- Vask accounts, third version: verified email addresses, invitations that must be accepted,
-- password reset, sign-in throttling per (account, client address) and sign-up throttling.
-- As before, every rule the application relies on is also a constraint here.

-- When the holder of the address proved it (clicked a verification or password-reset link).
-- Null: nobody has, and the account can use only the tenants it created itself.
alter table accounts add column email_verified_at timestamptz;

-- The first account of an existing installation is the first-start admin, whose address the
-- operator chose: it counts as verified, as a fresh first start makes it.
update accounts set email_verified_at = created_at where id = (select min(id) from accounts);

-- Single-use links mailed to an address: verify it, or reset the password. The link carries 32
-- random bytes; only their SHA-256 is stored. email is the address the link went to, so that a
-- link verifies that address and no other.
create table account_tokens (
    id          bigint generated always as identity primary key,
    account_id  bigint      not null references accounts (id) on delete cascade,
    purpose     text        not null,
    email       text        not null,
    token_hash  bytea       not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz,
    constraint account_tokens_purpose check (purpose in ('verify', 'reset')),
    constraint account_tokens_token_hash_unique unique (token_hash),
    constraint account_tokens_token_hash_length check (length(token_hash) = 32),
    constraint account_tokens_expires_after_created check (expires_at > created_at),
    constraint account_tokens_used_after_created check (used_at is null or used_at >= created_at)
);
create index account_tokens_account on account_tokens (account_id, purpose);

-- Pending invitations to join a tenant. A row exists only while the invitation is open: accepting,
-- declining or revoking it deletes the row (the audit log keeps the story). One per tenant and address.
create table invitations (
    id                bigint generated always as identity primary key,
    tenant_id         bigint      not null references tenants (id) on delete cascade,
    email             text        not null,
    role              text        not null,
    token_hash        bytea       not null,
    invited_by        bigint      references accounts (id) on delete set null,
    invited_by_email  text        not null,
    created_at        timestamptz not null default now(),
    expires_at        timestamptz not null,
    constraint invitations_email_format check (length(email) between 3 and 254 and email ~ '^[^@\s]+@[^@\s]+$'),
    constraint invitations_role check (role in ('owner', 'admin', 'developer', 'viewer')),
    constraint invitations_token_hash_unique unique (token_hash),
    constraint invitations_token_hash_length check (length(token_hash) = 32),
    constraint invitations_expires_after_created check (expires_at > created_at)
);
create unique index invitations_one_per_address on invitations (tenant_id, lower(email));
create index invitations_email on invitations (lower(email));

-- Membership only follows an explicit acceptance by a verified address. The one exception is the
-- creator of a tenant, who becomes its first owner in the same transaction that creates it.
create function vask_member_has_verified_address() returns trigger
    language plpgsql as
$$
begin
    if exists (select 1 from tenant_members m where m.tenant_id = new.tenant_id and m.account_id <> new.account_id)
            and not exists (select 1 from accounts a where a.id = new.account_id and a.email_verified_at is not null) then
        raise exception 'account % has no verified email address and cannot join tenant %', new.account_id, new.tenant_id
            using errcode = 'check_violation', constraint = 'tenant_members_verified_address';
    end if;
    return new;
end;
$$;

create trigger tenant_members_verified_address
    before insert on tenant_members
    for each row execute function vask_member_has_verified_address();

-- Sign-in throttling now counts per (account, client address) pair and per client address; the
-- pair's subject holds the address too, so it may be longer than before.
alter table login_throttle drop constraint login_throttle_subject_length;
alter table login_throttle add constraint login_throttle_subject_length check (length(subject) <= 400);
-- counts kept under the old per-account subjects would lock an owner out from every address
delete from login_throttle where subject like 'account:%';

-- Requests counted per client address in fixed windows (sign-ups, password-reset mails).
create table request_counts (
    subject          text        primary key,
    count            integer     not null,
    window_started   timestamptz not null,
    constraint request_counts_count_positive check (count > 0),
    constraint request_counts_subject_length check (length(subject) <= 300)
);

-- The audit log also records invitations.
alter table audit_events drop constraint audit_events_target_type;
alter table audit_events add constraint audit_events_target_type check (target_type in ('tenant', 'member', 'invitation', 'app', 'key'));
