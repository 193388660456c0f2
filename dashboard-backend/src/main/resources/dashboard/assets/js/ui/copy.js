// Copy buttons. The Clipboard API needs a secure context (https, or localhost); a Vask reached over
// plain http on another host falls back to the older copy command, and says so when that fails too.

import { h, announce } from '../dom.js';

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through
    }
  }
  const previous = document.activeElement;
  const buffer = h('textarea', { class: 'clipboard-buffer', readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
  buffer.value = text;
  document.body.append(buffer);
  buffer.focus();
  buffer.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  buffer.remove();
  if (previous instanceof HTMLElement) {
    previous.focus();
  }
  return copied;
}

/** A small button that copies `value()`; `what` names it for screen readers ("Copy secret"). */
export function copyButton(value, what, { label = 'Copy' } = {}) {
  const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Copy ${what}` }, label);
  let timer = null;
  button.addEventListener('click', async () => {
    const copied = await copyText(value());
    button.textContent = copied ? 'Copied' : 'Copy failed';
    announce(copied ? `${what} copied to the clipboard` : `Could not copy the ${what}: select it and copy it by hand`);
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
  return button;
}
