// A tenant's people: its members, the invitations it has open (admins invite and revoke), and its plan.
// Nobody joins by being named here: the invited person accepts from their own account, with their
// address verified.

import * as api from '../api.js';
import * as session from '../session.js';
import { announce, h } from '../dom.js';
import { time } from '../format.js';
import { confirmAction } from '../ui/dialog.js';
import { field, formAlert, onSubmit, select, text } from '../ui/forms.js';

const ROLES = ['viewer', 'developer', 'admin', 'owner'];

function ceiling(value, unit = '') {
  return value === null || value === undefined ? 'No ceiling' : `${value.toLocaleString('en')}${unit}`;
}

function planCard(plan) {
  const rows = [
    ['Connections per app', ceiling(plan.maxConnections)],
    ['Message size', ceiling(plan.maxMessageBytes, ' bytes')],
    ['Messages per app per day', ceiling(plan.maxMessagesPerDay)],
    ['Client events per second', ceiling(plan.clientEventsPerSecond)],
    ['Apps', ceiling(plan.maxApps)],
  ];
  return h('section', { class: 'card', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, `Plan: ${plan.name}`),
    h('p', { class: 'card-intro' }, 'The operator of this Vask sets these ceilings. Each app\'s limits apply within them.'),
    h('dl', { class: 'credentials' }, rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])));
}

function membersCard(members) {
  return h('section', { class: 'card', 'aria-labelledby': 'members-title' },
    h('h2', { id: 'members-title' }, 'Members'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table-stack' },
        h('caption', { class: 'visually-hidden' }, 'Members of the tenant'),
        h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Joined'].map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, members.map((member) => h('tr', { dataset: { member: String(member.accountId) } },
          h('td', { 'data-label': 'Email' }, member.email),
          h('td', { 'data-label': 'Name' }, member.displayName ?? ''),
          h('td', { 'data-label': 'Role' }, member.role),
          h('td', { 'data-label': 'Joined' }, time(member.joinedAt))))))));
}

function invitationsCard(tenant, invitations, canManage, reload) {
  const revoke = async (invitation) => {
    const revoked = await confirmAction({
      title: `Revoke the invitation to ${invitation.email}?`,
      message: h('p', {}, 'Its link stops working at once. You can invite the address again later.'),
      confirmLabel: 'Revoke invitation',
      action: async () => {
        await api.remove(`/api/v1/tenants/${tenant.id}/invitations/${invitation.id}`);
        return true;
      },
    });
    if (revoked) {
      announce(`Invitation to ${invitation.email} revoked`);
      await reload();
    }
  };
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const ownerRole = session.can(tenant.role, 'owner');
  const form = canManage ? h('form', { class: 'create-key', 'aria-label': 'Invite someone' },
    formAlert(),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'off', spellcheck: 'false',
      hint: 'We mail them a link. They join when they accept it from an account with this address, verified.' }),
    select({ label: 'Role', name: 'role', value: 'developer',
      options: ROLES.filter((role) => role !== 'owner' || ownerRole).map((role) => ({ value: role, label: role })) }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send invitation'),
    status) : null;
  if (form) {
    onSubmit(form, async () => {
      const email = text(form, 'email');
      await api.post(`/api/v1/tenants/${tenant.id}/invitations`, { email, role: form.elements.namedItem('role').value });
      await reload();
      announce(`Invitation sent to ${email}`);
    });
  }
  return h('section', { class: 'card', 'aria-labelledby': 'invitations-title' },
    h('h2', { id: 'invitations-title' }, 'Open invitations'),
    form,
    invitations.length === 0
      ? h('p', {}, 'No open invitations.')
      : h('div', { class: 'table-wrap' },
        h('table', { class: 'table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Open invitations of the tenant'),
          h('thead', {}, h('tr', {}, ['Email', 'Role', 'Invited by', 'Expires'].map((label) => h('th', { scope: 'col' }, label)),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          h('tbody', {}, invitations.map((invitation) => h('tr', { dataset: { invitation: String(invitation.id) } },
            h('td', { 'data-label': 'Email' }, invitation.email),
            h('td', { 'data-label': 'Role' }, invitation.role),
            h('td', { 'data-label': 'Invited by' }, invitation.invitedBy),
            h('td', { 'data-label': 'Expires' }, time(invitation.expiresAt)),
            h('td', { class: 'cell-actions', 'data-label': 'Actions' }, canManage && (invitation.role !== 'owner' || ownerRole)
              ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Revoke invitation to ${invitation.email}`,
                onclick: () => revoke(invitation) }, 'Revoke')
              : null)))))));
}

export default async function membersPage({ query, navigate, reload }) {
  const account = await session.refreshAccount();
  const tenants = [...account.tenants].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  if (tenants.length === 0) {
    return {
      title: 'Members',
      node: h('div', { class: 'stack' }, h('h1', {}, 'Members'), h('p', {}, 'You are not a member of any tenant.')),
    };
  }
  const wanted = Number(query.get('tenant'));
  const tenant = tenants.find((candidate) => candidate.id === wanted)
    ?? tenants.find((candidate) => session.can(candidate.role, 'admin')) ?? tenants[0];
  const [members, invitations, plan] = await Promise.all([
    api.get(`/api/v1/tenants/${tenant.id}/members`),
    api.get(`/api/v1/tenants/${tenant.id}/invitations`),
    api.get(`/api/v1/tenants/${tenant.id}/plan`),
  ]);
  const chooser = tenants.length > 1 ? select({
    label: 'Tenant',
    name: 'tenant',
    value: tenant.id,
    options: tenants.map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${candidate.role})` })),
  }) : null;
  chooser?.querySelector('select').addEventListener('change', (event) => navigate(`/members?tenant=${event.target.value}`));
  return {
    title: `Members of ${tenant.name}`,
    node: h('div', { class: 'stack' },
      h('div', { class: 'page-header' }, h('div', {},
        h('h1', {}, `Members of ${tenant.name}`),
        h('p', { class: 'page-meta' }, h('span', {}, `Your role: ${tenant.role}`)))),
      chooser,
      membersCard(members),
      invitationsCard(tenant, invitations, session.can(tenant.role, 'admin'), reload),
      planCard(plan)),
  };
}
