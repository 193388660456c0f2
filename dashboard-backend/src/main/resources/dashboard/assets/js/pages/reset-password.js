// Forgotten passwords: ask for a link (any address: the answer is the same whether or not an account
// has it), then set a new password from the mailed link (/dashboard/reset-password#token=...).

import * as api from '../api.js';
import * as flash from '../flash.js';
import * as session from '../session.js';
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { href } from '../router.js';
import { field, formAlert, onSubmit, text } from '../ui/forms.js';
import { takeToken } from '../ui/links.js';

function requestForm() {
  const done = h('div', { role: 'status' });
  const form = h('form', { 'aria-labelledby': 'reset-title' },
    formAlert(),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', spellcheck: 'false' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send a reset link'));
  onSubmit(form, async () => {
    const email = text(form, 'email');
    await api.post('/api/v1/password-reset', { email }, { signedOutIsExpected: true });
    form.hidden = true;
    done.replaceChildren(h('div', { class: 'alert alert-success' },
      h('p', {}, `If an account has the address ${email}, a link to choose a new password is on its way. It works once, for one hour.`)));
  });
  return {
    title: 'Reset your password',
    focus: form.elements.namedItem('email'),
    node: h('div', { class: 'auth' },
      h('div', { class: 'card' },
        h('h1', { id: 'reset-title' }, 'Reset your password'),
        h('p', {}, 'We mail a link to your address; open it to choose a new password.'),
        form,
        done),
      h('p', { class: 'auth-footer' }, h('a', { href: href('/sign-in') }, 'Back to sign in'))),
  };
}

function newPasswordForm(token, navigate) {
  const form = h('form', { 'aria-labelledby': 'new-password-title' },
    formAlert(),
    field({ label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password',
      hint: '10 characters or more, and hard to guess. A few unrelated words make a good one.' }),
    field({ label: 'New password again', name: 'confirmPassword', type: 'password', autocomplete: 'new-password' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set new password'));
  onSubmit(form, async () => {
    const newPassword = form.elements.namedItem('newPassword').value;
    if (newPassword !== form.elements.namedItem('confirmPassword').value) {
      throw ApiError.invalid('confirmPassword', 'must be the same as the new password');
    }
    await api.post('/api/v1/password-reset/confirm', { token, newPassword }, { signedOutIsExpected: true });
    session.forget(); // every session of the account has ended, this one too
    flash.set('sign-in', { kind: 'success', text: 'Your password is changed and you were signed out everywhere. Sign in with the new password.' });
    await navigate('/sign-in', { replace: true });
  });
  return {
    title: 'Choose a new password',
    focus: form.elements.namedItem('newPassword'),
    node: h('div', { class: 'auth' },
      h('div', { class: 'card' },
        h('h1', { id: 'new-password-title' }, 'Choose a new password'),
        h('p', {}, 'Setting it signs your account out everywhere, and verifies your address.'),
        form),
      h('p', { class: 'auth-footer' }, 'Link expired? ', h('a', { href: href('/reset-password') }, 'Ask for a new one'))),
  };
}

export default async function resetPasswordPage({ navigate }) {
  const token = takeToken();
  return token ? newPasswordForm(token, navigate) : requestForm();
}
