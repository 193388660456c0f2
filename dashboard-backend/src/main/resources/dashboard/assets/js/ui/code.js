// A code block with a title and a copy button.

import { h } from '../dom.js';
import { copyButton } from './copy.js';

/** Answers { element, set(text) }; `set` replaces the code (the copy button copies what is shown). */
export function codeBlock(title, text, { language = '' } = {}) {
  const code = h('code', { dataset: { language } }, text);
  let current = text;
  const element = h('div', { class: 'code' },
    h('div', { class: 'code-bar' }, h('span', {}, title), copyButton(() => current, `${title} code`)),
    h('pre', { tabindex: '0', 'aria-label': `${title} code` }, code));
  return {
    element,
    set(next) {
      current = next;
      code.textContent = next;
    },
  };
}
