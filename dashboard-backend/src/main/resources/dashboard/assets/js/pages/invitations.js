// Invitations to the signed-in account's address: accept (join the tenant with the invitation's role) or
// decline. Only a verified address sees them. The mailed link (/dashboard/invitations#token=...) opens
// this page with that invitation offered first.

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { announce, h } from '../dom.js';
import { time } from '../format.js';
import { href } from '../router.js';
import { confirmAction } from '../ui/dialog.js';
import { busy, problemText } from '../ui/forms.js';
import { takeToken, unverifiedNotice } from '../ui/links.js';

function joined(tenant) {
  flash.set('apps', { kind: 'success', text: `You joined ${tenant.name} as ${tenant.role}.` });
}

function linkCard(token, navigate) {
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const accept = h('button', { type: 'button', class: 'btn btn-primary' }, 'Accept the invitation');
  accept.addEventListener('click', async () => {
    if (accept.getAttribute('aria-busy') === 'true') {
      return;
    }
    busy(accept, true);
    status.textContent = '';
    try {
      const tenant = await api.post('/api/v1/account/invitations/accept', { token });
      await session.refreshAccount();
      joined(tenant);
      await navigate('/apps');
    } catch (error) {
      status.className = 'status status-error';
      status.textContent = problemText(error);
    } finally {
      busy(accept, false);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'link-title' },
    h('h2', { id: 'link-title' }, 'You opened an invitation link'),
    h('p', {}, 'Accepting makes you a member of the tenant that invited you, with the role it names below.'),
    h('div', { class: 'actions' }, accept, status));
}

function invitationsTable(invitations, reload) {
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const accept = async (invitation, button) => {
    if (button.getAttribute('aria-busy') === 'true') {
      return;
    }
    busy(button, true);
    try {
      const tenant = await api.post(`/api/v1/account/invitations/${invitation.id}/accept`);
      await session.refreshAccount();
      status.className = 'status status-success';
      status.textContent = `You joined ${tenant.name} as ${tenant.role}.`;
      announce(status.textContent);
      await reload();
    } catch (error) {
      status.className = 'status status-error';
      status.textContent = problemText(error);
    } finally {
      busy(button, false);
    }
  };
  const decline = async (invitation) => {
    const declined = await confirmAction({
      title: `Decline the invitation to ${invitation.tenantName}?`,
      message: h('p', {}, `${invitation.invitedBy} will see it gone. To join later, they must invite you again.`),
      confirmLabel: 'Decline invitation',
      action: async () => {
        await api.post(`/api/v1/account/invitations/${invitation.id}/decline`);
        return true;
      },
    });
    if (declined) {
      announce(`Invitation to ${invitation.tenantName} declined`);
      await reload();
    }
  };
  const rows = invitations.map((invitation) => {
    const acceptButton = h('button', { type: 'button', class: 'btn btn-small btn-primary', 'aria-label': `Accept invitation to ${invitation.tenantName}` }, 'Accept');
    acceptButton.addEventListener('click', () => accept(invitation, acceptButton));
    return h('tr', { dataset: { invitation: String(invitation.id) } },
      h('td', { 'data-label': 'Tenant' }, invitation.tenantName),
      h('td', { 'data-label': 'Role' }, invitation.role),
      h('td', { 'data-label': 'Invited by' }, invitation.invitedBy),
      h('td', { 'data-label': 'Expires' }, time(invitation.expiresAt)),
      h('td', { class: 'cell-actions', 'data-label': 'Actions' },
        acceptButton, ' ',
        h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Decline invitation to ${invitation.tenantName}`,
          onclick: () => decline(invitation) }, 'Decline')));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'received-title' },
    h('h2', { id: 'received-title' }, 'Open invitations'),
    status,
    invitations.length === 0
      ? h('p', {}, 'No open invitations to your address.')
      : h('div', { class: 'table-wrap' },
        h('table', { class: 'table-stack' },
          h('caption', { class: 'visually-hidden' }, 'Invitations to your address'),
          h('thead', {}, h('tr', {}, ['Tenant', 'Role', 'Invited by', 'Expires'].map((label) => h('th', { scope: 'col' }, label)),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          h('tbody', {}, rows))));
}

export default async function invitationsPage({ navigate, reload }) {
  const token = takeToken();
  const account = await session.refreshAccount();
  const header = h('div', { class: 'page-header' }, h('div', {},
    h('h1', {}, 'Invitations'),
    h('p', { class: 'page-meta' }, h('span', {}, `To ${account.email}`))));
  if (!account.emailVerified) {
    return {
      title: 'Invitations',
      node: h('div', { class: 'stack' }, header,
        unverifiedNotice(account, token
          ? 'Verify it, then open the invitation link again: only a verified address can accept an invitation.'
          : 'Only a verified address sees and accepts invitations.')),
    };
  }
  const invitations = await api.get('/api/v1/account/invitations');
  return {
    title: 'Invitations',
    node: h('div', { class: 'stack' },
      header,
      token ? linkCard(token, navigate) : null,
      invitationsTable(invitations, reload),
      h('p', { class: 'hint' }, 'To invite people to your own tenant, go to ', h('a', { href: href('/members') }, 'Members'), '.')),
  };
}
