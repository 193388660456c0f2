// Getting started: the app's credentials and the code that connects a browser and a server to it.

import * as flash from '../flash.js';
import { h, uid } from '../dom.js';
import { href } from '../router.js';
import { clientSnippet, endpoint, serverSnippets } from '../snippets.js';
import { codeBlock } from '../ui/code.js';
import { copyButton } from '../ui/copy.js';
import { MASK, secretValue } from '../ui/secret.js';
import { tabs } from '../ui/tabs.js';

const LANGUAGE_KEY = 'vask.dashboard.server-language';

function credential(term, value, what) {
  return [h('dt', {}, term), h('dd', {}, h('code', {}, value), copyButton(() => value, what))];
}

export default async function connectSection(context, state) {
  const { app, keys } = state;
  const notice = flash.take('app');
  const active = keys.filter((key) => key.active);
  const where = endpoint(window.location);

  const parts = [];
  if (notice) {
    parts.push(h('div', { class: `alert alert-${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' }, h('p', {}, notice.text)));
  }
  if (!app.enabled) {
    parts.push(h('div', { class: 'alert alert-warning' },
      h('p', {}, 'This app is disabled: Vask refuses its connections (4003) and its HTTP API calls. ',
        h('a', { href: href(`/apps/${app.id}/settings`) }, 'Enable it in Settings'), '.')));
  }
  if (active.length === 0) {
    parts.push(h('div', { class: 'empty' },
      h('h2', {}, 'This app has no active key'),
      h('p', {}, 'Clients and servers connect with a key, and servers sign their requests with its secret.'),
      h('a', { class: 'btn btn-primary', href: href(`/apps/${app.id}/keys`) }, 'Create a key')));
    return h('div', { class: 'stack' }, parts);
  }

  let chosen = active[0];
  let revealed = false;
  const credentials = h('dl', { class: 'credentials' });
  const clientCode = codeBlock('pusher-js', '', { language: 'javascript' });
  const serverCodes = new Map(serverSnippets.map((snippet) => [snippet.id, codeBlock(snippet.label, '', { language: snippet.id })]));

  const secretForCode = () => {
    if (chosen.secret === null) {
      return 'YOUR_APP_SECRET';
    }
    return revealed ? chosen.secret : MASK;
  };
  const render = () => {
    credentials.replaceChildren(
      ...credential('app_id', String(app.id), 'app id'),
      ...credential('key', chosen.key, 'key'),
      h('dt', {}, 'secret'),
      h('dd', {}, secretValue(chosen.secret, `secret of key ${chosen.key}`, {
        onToggle: (shown) => {
          revealed = shown;
          renderCode();
        },
      })),
      ...credential('host', where.host, 'host'),
      ...credential('port', String(where.port), 'port'),
      h('dt', {}, 'TLS'),
      h('dd', {}, where.tls ? 'on (wss:// and https://)' : 'off (ws:// and http://)'));
    revealed = false;
    renderCode();
  };
  const renderCode = () => {
    const values = { appId: String(app.id), key: chosen.key, secret: secretForCode(), ...where };
    clientCode.set(clientSnippet(values));
    for (const snippet of serverSnippets) {
      serverCodes.get(snippet.id).set(snippet.build(values));
    }
  };

  const keyPicker = active.length > 1 ? (() => {
    const id = uid('key-choice');
    const picker = h('select', { id, name: 'key' },
      active.map((key) => h('option', { value: key.key }, key.label ? `${key.key} (${key.label})` : key.key)));
    picker.addEventListener('change', () => {
      chosen = active.find((key) => key.key === picker.value) ?? active[0];
      render();
    });
    return h('div', { class: 'field' }, h('label', { for: id }, 'Key'), picker,
      h('p', { class: 'hint' }, `This app has ${active.length} active keys; the code below uses the one you pick.`));
  })() : null;

  let savedLanguage = null;
  try {
    savedLanguage = window.localStorage.getItem(LANGUAGE_KEY);
  } catch {
    savedLanguage = null;
  }
  const serverTabs = tabs({
    label: 'Server library',
    selected: savedLanguage ?? 'node',
    items: serverSnippets.map((snippet) => ({
      id: snippet.id,
      label: snippet.label,
      panel: h('div', {},
        h('p', { class: 'tabpanel-note' }, 'Install: ', h('code', {}, snippet.install), snippet.note ? ` ${snippet.note}` : ''),
        serverCodes.get(snippet.id).element),
    })),
    onSelect: (id) => {
      try {
        window.localStorage.setItem(LANGUAGE_KEY, id);
      } catch {
        // storage may be off; the choice then lasts for this page only
      }
    },
  });
  render();

  const hiddenSecretNote = chosen.secret === null
    ? 'Your role cannot see secrets: ask a developer of this tenant for it.'
    : 'The secret is hidden in the code until you show it above. Keep it on your server only: never ship it to browsers or apps.';

  parts.push(
    h('section', { class: 'card', 'aria-labelledby': 'credentials-title' },
      h('h2', { id: 'credentials-title' }, 'App credentials'),
      h('p', { class: 'card-intro' }, 'Vask speaks the Pusher Channels protocol: use the official Pusher libraries with these values.'),
      keyPicker,
      credentials),
    h('section', { class: 'card', 'aria-labelledby': 'client-title' },
      h('h2', { id: 'client-title' }, 'Connect a client'),
      h('p', { class: 'card-intro' }, 'Install ', h('code', {}, 'pusher-js'), ' (', h('code', {}, 'npm install pusher-js'),
        '), then point it at this server instead of a Pusher cluster:'),
      clientCode.element),
    h('section', { class: 'card', 'aria-labelledby': 'server-title' },
      h('h2', { id: 'server-title' }, 'Publish from your server'),
      h('p', { class: 'card-intro' }, 'Any official Pusher server library works, with the host and port of this server. ', hiddenSecretNote),
      serverTabs),
    h('p', { class: 'hint' }, 'Host, port and TLS come from the address of this page. If your clients and servers reach Vask '
      + 'at another address (a load balancer, or separate realtime and API hosts), use that one instead.'));
  return h('div', { class: 'stack' }, parts);
}
