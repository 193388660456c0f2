// ARIA tabs (tablist, tab, tabpanel) with the keyboard behaviour screen reader users expect:
// Left/Right move between tabs, Home/End jump to the ends, the panel follows the focused tab.

import { h, uid } from '../dom.js';

/**
 * @param label the tab list's accessible name
 * @param items [{ id, label, panel: Node }]
 * @param selected the id of the tab shown first
 * @param onSelect called with the id when the reader picks another tab
 */
export function tabs({ label, items, selected, onSelect = () => {} }) {
  const base = uid('tabs');
  const tabElements = [];
  const panels = [];
  const list = h('div', { class: 'tabs tabs-small', role: 'tablist', 'aria-label': label });
  const select = (id, moveFocus) => {
    items.forEach((item, index) => {
      const active = item.id === id;
      tabElements[index].setAttribute('aria-selected', String(active));
      tabElements[index].tabIndex = active ? 0 : -1;
      panels[index].hidden = !active;
      if (active && moveFocus) {
        tabElements[index].focus();
      }
    });
    onSelect(id);
  };
  items.forEach((item, index) => {
    const tab = h('button', {
      type: 'button',
      role: 'tab',
      id: `${base}-tab-${item.id}`,
      'aria-controls': `${base}-panel-${item.id}`,
    }, item.label);
    tab.addEventListener('click', () => select(item.id, false));
    tab.addEventListener('keydown', (event) => {
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: items.length - 1 };
      if (!(event.key in moves)) {
        return;
      }
      event.preventDefault();
      const next = (moves[event.key] + items.length) % items.length;
      select(items[next].id, true);
    });
    tabElements.push(tab);
    list.append(tab);
    panels.push(h('div', {
      role: 'tabpanel',
      id: `${base}-panel-${item.id}`,
      'aria-labelledby': tab.id,
      tabindex: '0',
    }, item.panel));
  });
  const initial = items.some((item) => item.id === selected) ? selected : items[0].id;
  items.forEach((item, index) => {
    const active = item.id === initial;
    tabElements[index].setAttribute('aria-selected', String(active));
    tabElements[index].tabIndex = active ? 0 : -1;
    panels[index].hidden = !active;
  });
  return h('div', { class: 'tabset' }, list, panels);
}
