// DOM helpers. Every piece of data reaches the page as a text node or a property: nothing here parses
// HTML, so nothing the server or a user typed can become markup.

import { wordsOf } from './meta.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

let idCounter = 0;
/** A fresh element id, for label/for and aria-describedby pairs. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('td', {class: 'num'}, 'text', otherNode). Strings become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  return append(el, children);
}

/** An SVG element, built the same way (attributes only; text children become text nodes). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  return append(el, children);
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled form field: returns {wrap, input, error} where `error` is the slot for a field error. */
export function field(label, input, hint) {
  const id = input.id || uid();
  input.id = id;
  const error = h('span', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  const describedBy = [`${id}-error`];
  let hintEl = null;
  if (hint) {
    hintEl = h('span', { class: 'hint', id: `${id}-hint` }, hint);
    describedBy.push(`${id}-hint`);
  }
  input.setAttribute('aria-describedby', describedBy.join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl, error);
  return { wrap, input, error };
}

/** A <select> of [value, label] pairs (or plain values). */
export function select(options, value, attrs = {}) {
  const el = h('select', attrs);
  for (const option of options) {
    const [v, text] = Array.isArray(option) ? option : [option, option];
    el.append(h('option', { value: v ?? '', selected: String(v ?? '') === String(value ?? '') }, text));
  }
  return el;
}

/** Formats a number of euros ("1 250 000 €"); null or undefined is "—" (hidden or unknown). */
export function euros(value) {
  if (value === null || value === undefined) return '—';
  return `${Number(value).toLocaleString('en-GB')} €`;
}

/** Formats a plain number; null is "—". */
export function num(value, digits = 0) {
  if (value === null || value === undefined || value === '') return '—';
  return Number(value).toLocaleString('en-GB', { maximumFractionDigits: digits });
}

/** A date or "—". Dates are YYYY-MM-DD everywhere on the page, shown and typed alike. */
export function day(value) {
  return value || '—';
}

/** Today as YYYY-MM-DD (UTC, as the server counts days). */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

/** The date `days` after the YYYY-MM-DD date `date` (before it when negative). */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whether `text` is a real date written YYYY-MM-DD. */
export function isIsoDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Says `text` through the page's one live region (always in the page, so screen readers hear it). */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A new text node a moment later: the same words twice in a row are announced twice.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/**
 * A date field typed as YYYY-MM-DD (one Tab stop), with the browser's calendar on request: the button
 * beside it (mouse, touch) or Alt+ArrowDown in the field. "+N" / "-N" moves the date it held N days.
 * `attrs` go to the text input.
 * Returns {wrap, input}; the input fires 'input' and 'change' when the calendar sets it.
 */
export function dateInput(attrs = {}) {
  const input = h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'YYYY-MM-DD', maxlength: 10,
    size: 10, pattern: '\\d{4}-\\d{2}-\\d{2}', class: 'date', spellcheck: 'false', ...attrs,
  });
  const picker = h('input', { type: 'date', class: 'date-picker', tabindex: '-1', 'aria-hidden': 'true' });
  const open = () => {
    picker.value = isIsoDate(input.value.trim()) ? input.value.trim() : '';
    try {
      picker.showPicker();
    } catch {
      // no calendar in this browser: the field takes typed dates all the same
    }
  };
  picker.addEventListener('change', () => {
    if (!picker.value) return;
    input.value = picker.value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    input.focus();
  });
  // "+14" or "-7": that many days from the date the field held when it was filled (data-from), or from today.
  const expand = () => {
    const relative = /^([+-])(\d{1,4})$/.exec(input.value.trim());
    if (!relative) return;
    const from = isIsoDate(input.dataset.from || '') ? input.dataset.from : today();
    input.value = addDays(from, Number(relative[2]) * (relative[1] === '-' ? -1 : 1));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  input.addEventListener('keydown', (event) => {
    if (event.altKey && event.key === 'ArrowDown') {
      event.preventDefault();
      open();
    } else if (event.key === 'Enter') {
      expand();
    }
  });
  input.addEventListener('blur', expand);
  // Not a Tab stop (Alt+ArrowDown opens the calendar from the field); named for pointer and voice users.
  const button = h('button', { type: 'button', class: 'calendar', tabindex: '-1', 'aria-label': `${attrs['aria-label'] || 'Date'}: calendar`, on: { click: open } }, '▾');
  const wrap = h('span', { class: 'date-field' }, input, button, picker);
  return { wrap, input };
}

/** A coloured health badge (text says the health, so colour is never the only cue). */
export function healthBadge(health, prefix = '') {
  const value = health || 'none';
  return h('span', { class: ['badge', `health-${value}`] }, prefix + wordsOf(value));
}

/** A field name or a free value in words, from snake_case ("start_date" -> "start date"). A name of a
 * closed set takes its label from the server instead (meta.js labelOf, wordsOf). */
export function words(value) {
  return value === null || value === undefined ? '—' : String(value).replace(/_/g, ' ');
}

/**
 * Makes `wrap` (a box whose content may be wider than the screen) a labelled region that the keyboard
 * can scroll: while its content overflows it takes the focus (Tab stop) and shows a hint; otherwise it
 * is a plain box and costs no Tab press.
 */
export function scrollRegion(wrap, name) {
  const hint = h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }, 'Scroll sideways for more →');
  // Named after what it shows: the given name, else its section's heading (names stay unique).
  // A section is a landmark of its own: the region's name says more than the section's heading.
  const nameOf = () => `${name || wrap.closest('.group, section')?.querySelector('h2, h3')?.textContent || 'Table'}, scrolls sideways`;
  const update = () => {
    const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle('overflows', overflows);
    if (overflows) {
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', nameOf());
      wrap.setAttribute('tabindex', '0');
      if (!hint.isConnected) wrap.before(hint);
    } else {
      for (const attribute of ['role', 'aria-label', 'tabindex']) wrap.removeAttribute(attribute);
      hint.remove();
    }
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(update).observe(wrap);
  requestAnimationFrame(update);
  return wrap;
}

/** A table with a caption, headers and rows of cells (a cell is a node, a string or {value, class}). */
export function table(caption, headers, rows, { footer, className, regionName } = {}) {
  const head = h('thead', null, h('tr', null, headers.map((text) => h('th', { scope: 'col' }, text))));
  const cell = (c, tag = 'td') =>
    c && typeof c === 'object' && !(c instanceof Node) ? h(tag, { class: c.class }, c.value) : h(tag, null, c);
  const body = h('tbody', null, rows.map((row) => h('tr', null, row.map((c) => cell(c)))));
  const foot = footer ? h('tfoot', null, h('tr', null, footer.map((c) => cell(c)))) : null;
  return scrollRegion(h(
    'div',
    { class: ['table-wrap', className] },
    h('table', null, caption ? h('caption', null, caption) : null, head, body, foot)
  ), regionName || caption);
}

/**
 * Client-side pages of `pageSize` over `items`: renders the current page through `render(itemsOfPage)`
 * and Previous/Next buttons. Returns the container.
 */
export function paged(items, render, { pageSize = 50, label = 'items' } = {}) {
  const box = h('div', { class: 'paged' });
  let page = 0;
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const draw = () => {
    const slice = items.slice(page * pageSize, (page + 1) * pageSize);
    replace(box, render(slice), pager(page, pages, items.length, label, (p) => {
      page = p;
      draw();
    }));
  };
  draw();
  return box;
}

/** Previous / "Page 2 of 5 (230 items)" / Next; nothing when everything fits on one page. */
export function pager(page, pages, total, label, go) {
  if (pages <= 1) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': `Pages of ${label}` },
    h('button', { type: 'button', disabled: page === 0, on: { click: () => go(page - 1) } }, '← Previous'),
    h('span', { class: 'page-info' }, `Page ${page + 1} of ${pages} (${total} ${label})`),
    h('button', { type: 'button', disabled: page >= pages - 1, on: { click: () => go(page + 1) } }, 'Next →')
  );
}

/** A message box: kind is 'error', 'ok' or 'info'. Errors are announced (role=alert). */
export function message(kind, ...children) {
  return h('div', { class: ['msg', `msg-${kind}`], role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** The same box without a live role: for places that say their news through announce() instead, so
 * that nothing is heard twice. */
export function note(kind, ...children) {
  return h('div', { class: ['msg', `msg-${kind}`] }, ...children);
}

/** A link to a hash route. */
export function link(route, ...children) {
  return h('a', { href: `#${route}` }, ...children);
}
