// Pages and things that do not exist (or belong to a tenant the reader is not a member of: the API
// answers those exactly like missing ones).

import { h } from '../dom.js';
import { href } from '../router.js';

/** Thrown by a page when what its address names does not exist. */
export class NotFound extends Error {
  constructor(message) {
    super(message);
    this.name = 'NotFound';
  }
}

export function notFoundView(message = 'There is no page at this address.') {
  return {
    title: 'Not found',
    node: h('div', { class: 'stack' },
      h('h1', {}, 'Not found'),
      h('p', {}, message),
      h('p', {}, h('a', { href: href('/apps') }, 'Go to your apps'))),
  };
}
