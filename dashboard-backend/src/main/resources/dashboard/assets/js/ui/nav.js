// The top bar's navigation: the dashboard's sections and the signed-in account with Sign out.

import { h } from '../dom.js';
import { href } from '../router.js';
import { busy, problemText } from './forms.js';

/**
 * @param account the signed-in account, or null
 * @param section the current section ('apps', 'members', 'invitations', 'operator', 'account'), for aria-current
 * @param signOut async () => void
 */
export function renderNav(account, section, signOut) {
  const nav = document.getElementById('nav');
  nav.hidden = !account; // no empty landmark on the sign-in pages
  if (!account) {
    nav.replaceChildren();
    return;
  }
  const link = (path, label, name) => h('li', {},
    h('a', { href: href(path), 'aria-current': section === name ? 'page' : null }, label));
  const error = h('p', { class: 'status status-error nav-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', class: 'btn btn-small' }, 'Sign out');
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') {
      return;
    }
    busy(button, true);
    error.hidden = true;
    try {
      await signOut();
    } catch (failure) {
      error.textContent = `Could not sign out: ${problemText(failure)}`;
      error.hidden = false;
    } finally {
      busy(button, false);
    }
  });
  nav.replaceChildren(
    h('ul', { class: 'nav-links' },
      link('/apps', 'Apps', 'apps'),
      link('/members', 'Members', 'members'),
      link('/invitations', 'Invitations', 'invitations'),
      account.operator ? link('/operator', 'Operator', 'operator') : null,
      link('/account', 'Account', 'account')),
    h('div', { class: 'nav-user' }, h('span', { class: 'email' }, account.email), button),
    error);
}
