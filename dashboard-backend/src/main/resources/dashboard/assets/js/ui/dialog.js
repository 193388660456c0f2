// Confirmation dialogs (<dialog>, modal: focus stays inside, Escape cancels). The action runs while
// the dialog is open, so that a refusal is shown in the dialog, next to the button that caused it.

import { h, uid } from '../dom.js';
import { busy, clearErrors, field, formAlert, showErrors } from './forms.js';

/**
 * Asks for confirmation, then runs `action()`. Resolves with the action's result, or null when
 * cancelled. With `typed`, the reader must type that text before the confirm button works.
 */
export function confirmAction({ title, message, confirmLabel, danger = true, typed = null, typedLabel, action }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const messageId = uid('dialog-message');
    const opener = document.activeElement;
    const confirm = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel');
    const typedField = typed === null ? null : field({
      label: typedLabel ?? `Type ${typed} to confirm`,
      name: 'confirmation',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const form = h('form', { method: 'dialog' },
      h('div', { class: 'dialog-body' },
        h('h2', { id: titleId }, title),
        h('div', { id: messageId }, message),
        formAlert(),
        typedField),
      h('div', { class: 'dialog-footer' }, cancel, confirm));
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': messageId }, form);
    let result = null;
    let working = false;

    const typedInput = typedField?.querySelector('input');
    const updateConfirm = () => {
      if (typedInput) {
        confirm.disabled = typedInput.value.trim() !== typed;
      }
    };
    typedInput?.addEventListener('input', updateConfirm);
    updateConfirm();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (confirm.disabled || working) {
        return;
      }
      clearErrors(form);
      working = true;
      busy(confirm, true);
      cancel.disabled = true;
      try {
        result = (await action()) ?? true;
        dialog.close();
      } catch (error) {
        showErrors(form, error);
      } finally {
        working = false;
        busy(confirm, false);
        cancel.disabled = false;
        updateConfirm();
      }
    });
    // Escape while the action runs would hide its outcome: the dialog stays until the answer comes
    dialog.addEventListener('cancel', (event) => {
      if (working) {
        event.preventDefault();
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) {
        opener.focus();
      }
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    (typedInput ?? cancel).focus();
  });
}
