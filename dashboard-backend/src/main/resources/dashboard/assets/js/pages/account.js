// The signed-in account: its password, and its API tokens for scripts (each shown once, at creation).

import * as api from '../api.js';
import * as session from '../session.js';
import { ApiError } from '../api.js';
import { announce, focus, h } from '../dom.js';
import { time } from '../format.js';
import { confirmAction } from '../ui/dialog.js';
import { copyButton } from '../ui/copy.js';
import { field, formAlert, onSubmit, select, text } from '../ui/forms.js';
import { unverifiedNotice } from '../ui/links.js';

const EXPIRY = [
  { value: '', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In 1 year' },
];

function passwordCard(email) {
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  // the account's email, for password managers to file the new password under (not shown, not sent)
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
  username.value = email;
  const form = h('form', { 'aria-labelledby': 'password-title' },
    username,
    formAlert(),
    field({ label: 'Current password', name: 'currentPassword', type: 'password', autocomplete: 'current-password' }),
    field({ label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password',
      hint: '10 characters or more, and hard to guess. A few unrelated words make a good one.' }),
    field({ label: 'New password again', name: 'confirmPassword', type: 'password', autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password'), status));
  onSubmit(form, async () => {
    status.textContent = '';
    const currentPassword = form.elements.namedItem('currentPassword').value;
    const newPassword = form.elements.namedItem('newPassword').value;
    if (newPassword !== form.elements.namedItem('confirmPassword').value) {
      throw ApiError.invalid('confirmPassword', 'must be the same as the new password');
    }
    await api.put('/api/v1/account/password', { currentPassword, newPassword });
    form.reset();
    status.className = 'status status-success';
    status.textContent = 'Password changed. Your other sessions were signed out; API tokens keep working.';
  });
  return h('section', { class: 'card', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, 'Password'),
    form);
}

function tokenStatus(token) {
  if (token.revokedAt) {
    return h('span', {}, h('span', { class: 'badge badge-danger' }, 'Revoked'), ' ', time(token.revokedAt));
  }
  if (token.expiresAt && new Date(token.expiresAt) <= new Date()) {
    return h('span', { class: 'badge badge-warning' }, 'Expired');
  }
  return h('span', { class: 'badge badge-success' }, 'Active');
}

function usable(token) {
  return !token.revokedAt && !(token.expiresAt && new Date(token.expiresAt) <= new Date());
}

function tokensCard(initial) {
  let tokens = initial;
  const reveal = h('div', {});
  const body = h('tbody', {});

  const revoke = async (token) => {
    const revoked = await confirmAction({
      title: `Revoke token ${token.name}?`,
      message: h('p', {}, 'Requests made with it are refused from now on, on every node. Revoking cannot be undone.'),
      confirmLabel: 'Revoke token',
      action: () => api.post(`/api/v1/account/tokens/${token.id}/revoke`),
    });
    if (revoked) {
      tokens = tokens.map((candidate) => (candidate.id === revoked.id ? revoked : candidate));
      render();
      announce(`Token ${revoked.name} revoked`);
    }
  };

  const render = () => {
    const sorted = [...tokens].sort((a, b) => Number(usable(b)) - Number(usable(a)) || b.id - a.id);
    body.replaceChildren(...sorted.map((token) => h('tr', { class: usable(token) ? null : 'inactive', dataset: { token: String(token.id) } },
      h('td', { 'data-label': 'Name' }, token.name),
      h('td', { 'data-label': 'Token' }, h('code', {}, token.hint)),
      h('td', { 'data-label': 'Access' }, token.scopes.includes('write') ? 'Read and write' : 'Read only'),
      h('td', { 'data-label': 'Created' }, time(token.createdAt)),
      h('td', { 'data-label': 'Expires' }, token.expiresAt ? time(token.expiresAt) : 'Never'),
      h('td', { 'data-label': 'Last used' }, token.lastUsedAt ? time(token.lastUsedAt) : 'Never'),
      h('td', { 'data-label': 'Status' }, tokenStatus(token)),
      h('td', { class: 'cell-actions', 'data-label': 'Actions' }, token.revokedAt ? null
        : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Revoke token ${token.name}`, onclick: () => revoke(token) }, 'Revoke')))));
    if (sorted.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: '8' }, 'No tokens yet.')));
    }
  };

  const form = h('form', { class: 'create-key', 'aria-label': 'Create a token' },
    formAlert(),
    field({ label: 'Name', name: 'name', maxlength: '100', autocomplete: 'off', hint: 'What the token is for, such as "deploy script".' }),
    h('fieldset', { class: 'field' },
      h('legend', {}, 'Access'),
      h('div', { class: 'choices' },
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'scopes', value: 'write', checked: true }), 'Read and write'),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'scopes', value: 'read' }), 'Read only')),
      h('p', { class: 'hint' }, 'Read only: GET requests. Read and write: everything your role allows, except managing tokens, '
        + 'your password and sessions, which need a signed-in session.')),
    select({ label: 'Expires', name: 'expiresAt', options: EXPIRY, value: '' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create token'));
  onSubmit(form, async () => {
    const scope = form.elements.namedItem('scopes').value;
    const days = form.elements.namedItem('expiresAt').value;
    const body = { name: text(form, 'name'), scopes: scope === 'write' ? ['read', 'write'] : ['read'] };
    if (days) {
      body.expiresAt = new Date(Date.now() + Number(days) * 86400000).toISOString();
    }
    const created = await api.post('/api/v1/account/tokens', body);
    tokens = [...tokens, created.details];
    render();
    form.reset();
    const heading = h('h2', { tabindex: '-1' }, 'New token created');
    const done = h('button', { type: 'button', class: 'btn' }, 'Done');
    done.addEventListener('click', () => {
      reveal.replaceChildren();
      focus(form.elements.namedItem('name'));
    });
    reveal.replaceChildren(h('section', { class: 'reveal', 'aria-label': 'New token' },
      heading,
      h('p', {}, 'Copy it now: this is the only time it is shown. Vask keeps only its hash.'),
      h('dl', { class: 'credentials' },
        h('dt', {}, created.details.name),
        h('dd', {}, h('code', { dataset: { token: 'new' } }, created.token), copyButton(() => created.token, 'new token'))),
      h('p', { class: 'hint' }, 'Send it as ', h('code', {}, 'Authorization: Bearer <token>'), '.'),
      h('div', { class: 'actions' }, done)));
    focus(heading);
  });
  render();

  return h('section', { class: 'card', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    h('p', { class: 'card-intro' }, 'Tokens let scripts, CI and Terraform use the management API. See the ',
      h('a', { href: '/api/v1/docs' }, 'API reference'), '.'),
    reveal,
    form,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table-stack' },
        h('caption', { class: 'visually-hidden' }, 'Your API tokens'),
        h('thead', {}, h('tr', {}, ['Name', 'Token', 'Access', 'Created', 'Expires', 'Last used', 'Status']
          .map((label) => h('th', { scope: 'col' }, label)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        body)));
}

export default async function accountPage() {
  const [account, tokens] = await Promise.all([session.refreshAccount(), api.get('/api/v1/account/tokens')]);
  return {
    title: 'Account',
    node: h('div', { class: 'stack' },
      h('div', { class: 'page-header' },
        h('div', {},
          h('h1', {}, 'Account'),
          h('p', { class: 'page-meta' },
            h('span', {}, `Signed in as ${account.email}`),
            account.displayName ? h('span', {}, account.displayName) : null,
            account.emailVerified ? h('span', { class: 'badge badge-success' }, 'Address verified') : null,
            account.operator ? h('span', { class: 'badge' }, 'Operator') : null))),
      account.emailVerified ? null : unverifiedNotice(account, 'Until it is verified, you can use the tenants you created, but not accept invitations.'),
      passwordCard(account.email),
      tokensCard(tokens)),
  };
}
