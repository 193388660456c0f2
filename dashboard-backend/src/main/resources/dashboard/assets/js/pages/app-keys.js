// An app's keys: create one (its secret shown in full right away, with a copy button), list them,
// revoke one. Several may be active at once, so that a secret can be rolled without downtime.

import * as api from '../api.js';
import * as session from '../session.js';
import { announce, focus, h } from '../dom.js';
import { time } from '../format.js';
import { confirmAction } from '../ui/dialog.js';
import { copyButton } from '../ui/copy.js';
import { field, formAlert, onSubmit, optionalText } from '../ui/forms.js';
import { secretValue } from '../ui/secret.js';

function newKeyPanel(key, onDone) {
  const heading = h('h2', { tabindex: '-1' }, 'New key created');
  const done = h('button', { type: 'button', class: 'btn' }, 'Done');
  const panel = h('section', { class: 'reveal', 'aria-label': 'New key', dataset: { newKey: key.key } },
    heading,
    h('p', {}, 'Give the key to your clients, and the key with its secret to your servers. Copy the secret now: '
      + 'from here on it stays hidden behind Show in the list below.'),
    h('dl', { class: 'credentials' },
      h('dt', {}, 'key'), h('dd', {}, h('code', {}, key.key), copyButton(() => key.key, 'new key')),
      h('dt', {}, 'secret'), h('dd', {}, h('code', { dataset: { secret: 'new' } }, key.secret), copyButton(() => key.secret, 'new secret'))),
    h('div', { class: 'actions' }, done));
  done.addEventListener('click', () => onDone());
  return { panel, heading };
}

function status(key) {
  return key.active
    ? h('span', { class: 'badge badge-success' }, 'Active')
    : h('span', {}, h('span', { class: 'badge badge-danger' }, 'Revoked'), ' ', time(key.revokedAt));
}

export default async function keysSection(context, state) {
  const { app } = state;
  const canChange = session.can(state.role, 'developer');
  const reveal = h('div', {});
  const tableBody = h('tbody', {});
  const count = h('p', { class: 'card-intro' });

  const sorted = () => [...state.keys].sort((a, b) => Number(b.active) - Number(a.active)
    || (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));

  const revoke = async (key) => {
    const activeCount = state.keys.filter((candidate) => candidate.active).length;
    const revoked = await confirmAction({
      title: `Revoke key ${key.key}?`,
      message: h('div', {},
        h('p', {}, 'Within about a second, sockets connected with this key are closed (4001) and requests signed with its '
          + 'secret are refused, on every node. Revoking cannot be undone.'),
        activeCount === 1 ? h('p', {}, h('strong', {}, 'This is the app\'s last active key: '),
          'nothing can connect to the app until you create another.') : null),
      confirmLabel: 'Revoke key',
      action: () => api.post(`/api/v1/apps/${app.id}/keys/${encodeURIComponent(key.key)}/revoke`),
    });
    if (revoked) {
      state.keys = state.keys.map((candidate) => (candidate.key === revoked.key ? revoked : candidate));
      renderTable();
      announce(`Key ${revoked.key} revoked`);
    }
  };

  const renderTable = () => {
    const keys = sorted();
    const active = keys.filter((key) => key.active).length;
    count.textContent = `${active} active ${active === 1 ? 'key' : 'keys'}, at most 10. To roll a secret: create a new key, `
      + 'move your clients and servers to it, then revoke the old one.';
    tableBody.replaceChildren(...keys.map((key) => h('tr', { class: key.active ? null : 'inactive', dataset: { key: key.key } },
      h('td', { 'data-label': 'Key' }, h('span', { class: 'cell-key' }, h('code', {}, key.key), copyButton(() => key.key, `key ${key.key}`))),
      h('td', { 'data-label': 'Label' }, key.label ?? '—'),
      h('td', { 'data-label': 'Secret' }, key.active ? secretValue(key.secret, `secret of key ${key.key}`) : '—'),
      h('td', { 'data-label': 'Created' }, time(key.createdAt)),
      h('td', { 'data-label': 'Status' }, status(key)),
      h('td', { class: 'cell-actions', 'data-label': 'Actions' },
        key.active && canChange
          ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Revoke key ${key.key}`, onclick: () => revoke(key) }, 'Revoke')
          : null))));
    if (keys.length === 0) {
      tableBody.append(h('tr', {}, h('td', { colspan: '6' }, 'This app has no keys yet.')));
    }
  };

  let form = null;
  if (canChange) {
    form = h('form', { class: 'create-key', 'aria-label': 'Create a key' },
      formAlert(),
      field({ label: 'Label', name: 'label', optional: true, maxlength: '100', autocomplete: 'off', hint: 'What the key is for, such as "production 2026-11".' }),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create key'));
    onSubmit(form, async () => {
      const label = optionalText(form, 'label');
      const created = await api.post(`/api/v1/apps/${app.id}/keys`, label === null ? {} : { label });
      state.keys = [...state.keys, created];
      renderTable();
      form.reset();
      const { panel, heading } = newKeyPanel(created, () => {
        reveal.replaceChildren();
        focus(form.elements.namedItem('label'));
      });
      reveal.replaceChildren(panel);
      focus(heading);
    });
  }
  renderTable();

  return h('div', { class: 'stack' },
    reveal,
    h('section', { class: 'card', 'aria-labelledby': 'keys-title' },
      h('h2', { id: 'keys-title' }, 'Keys'),
      count,
      form ?? h('p', { class: 'hint' }, 'Viewers can see keys but not secrets, and cannot create or revoke keys.'),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'table-stack' },
          h('caption', { class: 'visually-hidden' }, `Keys of ${app.name}`),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Secret'),
            h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          tableBody))));
}
