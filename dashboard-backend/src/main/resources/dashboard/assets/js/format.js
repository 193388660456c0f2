// Dates and small words, formatted in the reader's locale.

import { h } from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A <time> element for an ISO instant: the date and time, with the full value as a tooltip. */
export function time(iso, { withTime = true } = {}) {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toString() }, (withTime ? dateTime : dateOnly).format(date));
}

/** "must be 1 to 100 characters" becomes "Must be 1 to 100 characters". */
export function sentence(text) {
  const value = String(text ?? '').trim();
  return value ? value[0].toUpperCase() + value.slice(1) : value;
}
