// Form fields with their label, hint and error, and errors from the API shown next to what caused
// them: each `errors[].field` beside the input of that name, the problem's `detail` above the form.

import { ApiError } from '../api.js';
import { h, uid, focus } from '../dom.js';
import { sentence } from '../format.js';

/**
 * A labelled input. `name` is the API's field name (for `limits.maxConnections` too), so the API's
 * field errors find it. Other options become attributes of the input (type, autocomplete, maxlength...).
 */
export function field({ label, name, hint, optional = false, value, ...attributes }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = h('input', {
    type: 'text',
    ...attributes,
    id,
    name,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
  });
  if (value !== undefined && value !== null) {
    input.value = String(value);
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** A labelled <select>; options are [{ value, label }]. */
export function select({ label, name, hint, options, value, ...attributes }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const element = h('select', { ...attributes, id, name, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
    options.map((option) => h('option', { value: option.value }, option.label)));
  if (value !== undefined && value !== null) {
    element.value = String(value);
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    element,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** The place above a form's fields where its problem's detail appears. */
export function formAlert() {
  return h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1', hidden: true, 'data-form-alert': '' });
}

export function clearErrors(form) {
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
  }
  for (const message of form.querySelectorAll('.field-error')) {
    message.textContent = '';
    message.hidden = true;
  }
  const alert = form.querySelector('[data-form-alert]');
  if (alert) {
    alert.replaceChildren();
    alert.hidden = true;
  }
}

/** The input an API field error belongs to, if the form has one. */
function inputFor(form, fieldName) {
  const candidate = form.elements.namedItem(fieldName);
  if (!candidate) {
    return null;
  }
  // a group of radios or checkboxes answers a RadioNodeList: mark the first
  return candidate instanceof RadioNodeList ? candidate[0] : candidate;
}

/**
 * Shows an error in a form: field errors beside their inputs, and the detail (with any field error
 * that has no input here) in the form's alert. Moves focus to the first invalid input, or else to the alert.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const problem = error instanceof ApiError ? error : new ApiError(-1, { detail: `Something went wrong in the page: ${error?.message ?? error}` });
  if (!(error instanceof ApiError)) {
    console.error(error);
  }
  const unplaced = [];
  let first = null;
  for (const { field: name, message } of problem.errors) {
    const input = inputFor(form, name);
    const slot = input ? document.getElementById(`${input.id}-error`) : null;
    if (!slot) {
      unplaced.push(`${name}: ${message}`);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    slot.textContent = slot.textContent ? `${slot.textContent} ${sentence(message)}.` : `${sentence(message)}.`;
    slot.hidden = false;
    first ??= input;
  }
  const alert = form.querySelector('[data-form-alert]');
  if (alert) {
    // when every field error sits beside its field, the summary points there instead of repeating them
    const placed = form.querySelectorAll('[aria-invalid="true"]').length;
    const summary = placed > 0 && unplaced.length === 0
      ? (placed === 1 ? 'One field needs correcting: see below.' : `${placed} fields need correcting: see below.`)
      : problemText(problem);
    alert.append(h('p', {}, h('strong', {}, summary)));
    if (unplaced.length) {
      alert.append(h('ul', {}, unplaced.map((text) => h('li', {}, text))));
    }
    alert.hidden = false;
  }
  focus(first ?? alert);
}

/** The words to show for a problem: its detail, and when to try again for 429. */
export function problemText(error) {
  let text = error.message;
  if (error.status === 429 && error.retryAfter) {
    text += ` Try again in ${error.retryAfter} ${error.retryAfter === 1 ? 'second' : 'seconds'}.`;
  }
  return text;
}

/**
 * Marks a button as working while a request runs: aria-disabled and aria-busy rather than `disabled`,
 * which would throw the keyboard focus out of the button (callers ignore clicks meanwhile).
 */
export function busy(button, working) {
  if (!button) {
    return;
  }
  if (working) {
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-busy', 'true');
  } else {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
}

/**
 * Runs `action(form)` on submit, with the submit button busy meanwhile (a second submit is ignored
 * until the first is answered), and shows whatever error it throws in the form. Forms use
 * `novalidate`: the API's messages are the ones shown.
 */
export function onSubmit(form, action) {
  form.noValidate = true;
  let running = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (running) {
      return;
    }
    running = true;
    const button = form.querySelector('[type="submit"]');
    clearErrors(form);
    busy(button, true);
    try {
      await action(form);
    } catch (error) {
      showErrors(form, error);
    } finally {
      running = false;
      busy(button, false);
    }
  });
  return form;
}

/** The trimmed text of a field; '' when empty. */
export function text(form, name) {
  return String(form.elements.namedItem(name)?.value ?? '').trim();
}

/** The text of a field, or null when empty (for optional fields the API takes as absent). */
export function optionalText(form, name) {
  const value = text(form, name);
  return value === '' ? null : value;
}

/**
 * A whole number from a number input; null when empty. Throws a field error for what is not one
 * (an empty string from a number input may hide a typo, which must not turn into "no limit").
 */
export function wholeNumber(form, name) {
  const input = form.elements.namedItem(name);
  if (input.validity?.badInput) {
    throw ApiError.invalid(name, 'must be a whole number');
  }
  const raw = String(input.value).trim();
  if (raw === '') {
    return null;
  }
  const number = Number(raw);
  if (!Number.isSafeInteger(number)) {
    throw ApiError.invalid(name, 'must be a whole number');
  }
  return number;
}
