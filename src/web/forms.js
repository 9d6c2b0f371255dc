// Form plumbing shared by the editing views: show a problem's field errors next to their fields, and
// everything else (the problem's detail) in the form's status area.

import { h, replace, message } from './dom.js';

/** Clears the field errors of `fields` ({name: {input, error}}) and the status area. */
export function clearErrors(fields, status) {
  for (const f of Object.values(fields)) {
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
  }
  if (status) replace(status);
}

/**
 * Shows an ApiError: each of its field errors next to the field of that name (the rest, and the detail,
 * in `status`). Focuses the first invalid field.
 */
export function showProblem(e, fields, status) {
  const leftOver = [];
  let first = null;
  for (const { field, message: text } of e.errors || []) {
    const f = fields[field];
    if (f) {
      f.error.textContent = f.error.textContent ? `${f.error.textContent}; ${text}` : text;
      f.input.setAttribute('aria-invalid', 'true');
      first = first || f.input;
    } else {
      leftOver.push(`${field.replace(/_/g, ' ')}: ${text}`);
    }
  }
  if (status) {
    replace(
      status,
      message('error', e.message, leftOver.length ? h('ul', null, leftOver.map((t) => h('li', null, t))) : null)
    );
  }
  first?.focus();
}

/** The value of an input for the API: '' becomes null; numbers parse (a non-number is sent as text, so
 * the server names the field). */
export function valueOf(input, kind = 'text') {
  const raw = input.value.trim();
  if (raw === '') return null;
  if (kind === 'number') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}
