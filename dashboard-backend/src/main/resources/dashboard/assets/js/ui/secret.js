// A secret shown masked, with Show/Hide and Copy. Viewers get no secret from the API at all.

import { h } from '../dom.js';
import { copyButton } from './copy.js';

export const MASK = '••••••••••••••••';

/**
 * @param secret the value, or null when the reader's role may not see it
 * @param what what it is, for button labels ("secret of key 3f0c…")
 * @param onToggle called with true/false when shown or hidden
 */
export function secretValue(secret, what, { onToggle = () => {} } = {}) {
  if (secret === null || secret === undefined) {
    return h('span', { class: 'hint' }, 'Hidden: viewers cannot see secrets');
  }
  let shown = false;
  // screen readers hear "hidden", not sixteen bullets
  const masked = () => [h('span', { 'aria-hidden': 'true' }, MASK), h('span', { class: 'visually-hidden' }, 'hidden')];
  const value = h('code', { class: 'secret', dataset: { secret: 'masked' } }, masked());
  const toggle = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Show ${what}` }, 'Show');
  toggle.addEventListener('click', () => {
    shown = !shown;
    value.replaceChildren(...(shown ? [secret] : masked()));
    value.dataset.secret = shown ? 'shown' : 'masked';
    toggle.textContent = shown ? 'Hide' : 'Show';
    toggle.setAttribute('aria-label', `${shown ? 'Hide' : 'Show'} ${what}`);
    onToggle(shown);
  });
  return h('span', { class: 'cell-secret' }, value, toggle, copyButton(() => secret, what));
}
