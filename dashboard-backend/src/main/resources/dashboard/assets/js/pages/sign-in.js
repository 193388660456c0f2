// Sign in with email and password (POST /api/v1/session sets the session cookie).

import * as flash from '../flash.js';
import * as session from '../session.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { field, formAlert, onSubmit, text } from '../ui/forms.js';

/** Only dashboard paths are followed after sign-in (never another site). */
export function safeNext(next) {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !next.startsWith('/sign-') ? next : '/apps';
}

export default async function signInPage({ query, settings, navigate }) {
  const notice = flash.take('sign-in');
  const email = field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false', value: flash.take('sign-in-email') });
  const form = h('form', { 'aria-labelledby': 'sign-in-title' },
    formAlert(),
    email,
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in'),
      h('a', { href: href('/reset-password') }, 'Forgot your password?')));
  onSubmit(form, async () => {
    await session.signIn(text(form, 'email'), form.elements.namedItem('password').value);
    await navigate(safeNext(query.get('next')), { replace: true });
  });
  const emailInput = email.querySelector('input');
  return {
    title: 'Sign in',
    focus: emailInput.value ? form.elements.namedItem('password') : emailInput,
    node: h('div', { class: 'auth' },
      h('div', { class: 'card' },
        h('h1', { id: 'sign-in-title' }, 'Sign in to Vask'),
        notice ? h('div', { class: `alert alert-${notice.kind}`, role: 'status' }, h('p', {}, notice.text)) : null,
        form,
        h('details', {},
          h('summary', {}, 'First time here?'),
          h('p', {}, 'On its first start, Vask printed an admin login (admin@vask.local and a password) in its console, '
            + 'next to the demo app\'s credentials. Sign in with it, then invite your team.'))),
      settings.signupEnabled
        ? h('p', { class: 'auth-footer' }, 'New to Vask? ', h('a', { href: href('/sign-up') }, 'Create an account'))
        : null),
  };
}
