// Building DOM nodes without HTML strings: every text goes in as a text node, so data from the API can
// never become markup (the page's CSP enforces Trusted Types, which would refuse any HTML string anyway).

/**
 * Creates an element. Props: `class`, `dataset` (object), `on<event>` (listener), booleans (present when
 * true, left out when false), anything else as an attribute. Children: nodes, strings, arrays, or
 * null/undefined/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

let sequence = 0;

/** A document-unique id with a readable prefix, for label/aria references. */
export function uid(prefix = 'id') {
  sequence += 1;
  return `${prefix.replace(/[^a-zA-Z0-9_-]/g, '-')}-${sequence}`;
}

/** Reads a message to screen reader users (the shell's polite live region). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) {
    return;
  }
  region.textContent = '';
  // a new text node in the next frame, so that the same message twice is read twice
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

/** Moves focus to an element that is not focusable by itself (a heading, an alert). */
export function focus(element) {
  if (!element) {
    return;
  }
  if (!element.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
    element.setAttribute('tabindex', '-1');
  }
  element.focus();
}
