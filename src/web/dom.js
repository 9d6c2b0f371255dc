// DOM helpers. Every piece of data reaches the page as a text node or a property: nothing here parses
// HTML, so nothing the server or a user typed can become markup.

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

/** A date or "—". */
export function day(value) {
  return value || '—';
}

/** A coloured health badge (text says the health, so colour is never the only cue). */
export function healthBadge(health, prefix = '') {
  const value = health || 'none';
  return h('span', { class: ['badge', `health-${value}`] }, prefix + (health || 'no health'));
}

/** Human label from snake_case ("in_progress" -> "in progress"). */
export function words(value) {
  return value === null || value === undefined ? '—' : String(value).replace(/_/g, ' ');
}

/** A table with a caption, headers and rows of cells (a cell is a node, a string or {value, class}). */
export function table(caption, headers, rows, { footer, className } = {}) {
  const head = h('thead', null, h('tr', null, headers.map((text) => h('th', { scope: 'col' }, text))));
  const cell = (c, tag = 'td') =>
    c && typeof c === 'object' && !(c instanceof Node) ? h(tag, { class: c.class }, c.value) : h(tag, null, c);
  const body = h('tbody', null, rows.map((row) => h('tr', null, row.map((c) => cell(c)))));
  const foot = footer ? h('tfoot', null, h('tr', null, footer.map((c) => cell(c)))) : null;
  return h(
    'div',
    { class: ['table-wrap', className] },
    h('table', null, caption ? h('caption', null, caption) : null, head, body, foot)
  );
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

/** A link to a hash route. */
export function link(route, ...children) {
  return h('a', { href: `#${route}` }, ...children);
}
