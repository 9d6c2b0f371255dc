// The milestone editor: a table of milestones edited in place (one card each on a phone). Each row
// remembers the version it was loaded at and saves only the fields its user changed (PATCH with
// If-Match). Edited rows are marked; "Save all" saves them one by one; Enter in a row saves that row and
// the focus stays where it was. When someone else saved first (412) the row shows what they changed and
// keeps this user's own changes on top of theirs, to be saved again: nobody's work is lost.

import * as api from './api.js';
import { h, replace, select, message, dateInput, isIsoDate, today, label, scrollRegion, announce, uid } from './dom.js';
import { trackEdits } from './unsaved.js';

export const STATUSES = ['planned', 'in_progress', 'done', 'cancelled'];
const EDITED = ['forecast_date', 'actual_date', 'status', 'progress'];
const NAMES = { forecast_date: 'forecast date', actual_date: 'actual date', status: 'status', progress: 'progress' };

/** Days from the baseline to the actual (done) or due date; null when unknown. */
export function slip(m) {
  const end = m.status === 'done' ? m.actual_date : m.forecast_date || m.baseline_date;
  if (!end || !m.baseline_date) return null;
  return Math.round((Date.parse(end) - Date.parse(m.baseline_date)) / 86400000);
}

export function slipText(m) {
  const days = slip(m);
  return days === null ? '—' : `${days > 0 ? '+' : ''}${days}`;
}

/** A field's value as people say it: "in progress", "55%", "none". */
function shown(key, value) {
  if (value === null || value === undefined || value === '') return 'none';
  if (key === 'status') return label(value).toLowerCase();
  if (key === 'progress') return `${value}%`;
  return String(value);
}

function listChanges(pairs) {
  return pairs.map(([key, from, to]) => `${NAMES[key]} ${shown(key, from)} → ${shown(key, to)}`).join('; ');
}

/** One editable milestone: its row, the message row under it, and what the editor needs of it. */
function editableRow(milestone, { columns, extraCells, onSaved, onDirty }) {
  let base = milestone; // the version this row's edits apply to
  let saving = false;
  let autoActual = false; // the actual date was filled in by choosing "done"
  const title = milestone.title;
  const aria = (what) => `${what} of ${title}`;
  const forecast = dateInput({ name: 'forecast_date', 'aria-label': aria('Forecast date (YYYY-MM-DD)') });
  const actual = dateInput({ name: 'actual_date', 'aria-label': aria('Actual date (YYYY-MM-DD)') });
  const inputs = {
    forecast_date: forecast.input,
    actual_date: actual.input,
    status: select(STATUSES.map((v) => [v, label(v)]), milestone.status, { name: 'status', 'aria-label': aria('Status') }),
    progress: h('input', { type: 'number', name: 'progress', min: 0, max: 100, step: 1, inputmode: 'numeric', class: 'narrow', 'aria-label': aria('Progress (%)') }),
  };
  const errors = {};
  const cellOf = (name, heading, control) => {
    const error = h('span', { class: 'field-error', id: uid('err') });
    inputs[name].setAttribute('aria-describedby', error.id);
    errors[name] = error;
    return h('td', { class: 'edit-cell', dataset: { label: heading } }, control, error);
  };
  const status = h('div', { class: 'row-status' });
  const messageRow = h('tr', { class: 'row-message', hidden: true }, h('td', { colspan: columns }, status));
  const save = h('button', { type: 'button', class: 'primary small save', 'aria-label': `Save ${title}` }, 'Save');
  const slipCell = h('td', { class: 'num', dataset: { label: 'Slip (days)' } });
  const editedTag = h('span', { class: 'edited-tag', hidden: true }, 'edited, not saved');

  function fill(m) {
    inputs.forecast_date.value = m.forecast_date || '';
    inputs.forecast_date.dataset.from = m.forecast_date || m.baseline_date || '';
    inputs.actual_date.value = m.actual_date || '';
    inputs.actual_date.dataset.from = m.actual_date || '';
    inputs.status.value = m.status;
    inputs.progress.value = m.progress ?? 0;
    slipCell.textContent = slipText(m);
  }

  function entered() {
    const text = (input) => (input.value.trim() === '' ? null : input.value.trim());
    const progress = inputs.progress.value.trim();
    return {
      forecast_date: text(inputs.forecast_date),
      actual_date: text(inputs.actual_date),
      status: inputs.status.value,
      progress: progress === '' ? null : Number.isFinite(Number(progress)) ? Number(progress) : progress,
    };
  }

  /** The fields this user changed since `base`, as {key: value}. */
  function changes() {
    const mine = entered();
    const out = {};
    for (const k of EDITED) if (mine[k] !== (base[k] ?? null)) out[k] = mine[k];
    return out;
  }

  function show(...children) {
    replace(status, ...children);
    messageRow.hidden = children.length === 0;
  }

  function markDirty() {
    const dirty = Object.keys(changes()).length > 0;
    row.classList.toggle('edited', dirty);
    messageRow.classList.toggle('edited', dirty);
    editedTag.hidden = !dirty;
    onDirty();
  }

  function clearErrors() {
    for (const k of EDITED) {
      errors[k].textContent = '';
      inputs[k].removeAttribute('aria-invalid');
    }
  }

  function fieldError(key, text) {
    errors[key].textContent = text;
    inputs[key].setAttribute('aria-invalid', 'true');
  }

  // Status, actual date and progress go together: "done" means an actual date and 100%.
  function suggest(note) {
    show(message('info', note));
    announce(note);
  }
  inputs.status.addEventListener('change', () => {
    if (inputs.status.value === 'done') {
      const filled = [];
      if (!inputs.actual_date.value.trim()) {
        inputs.actual_date.value = today();
        autoActual = true;
        filled.push('actual date today');
      }
      if (inputs.progress.value !== '100') {
        inputs.progress.value = '100';
        filled.push('progress 100%');
      }
      if (filled.length) suggest(`Done: ${filled.join(' and ')} filled in. Change them if needed, then save.`);
    } else if (autoActual) {
      inputs.actual_date.value = base.actual_date || '';
      autoActual = false;
    }
  });
  const suggestDone = (why) => {
    if (inputs.status.value === 'done' || inputs.status.value === 'cancelled') return;
    inputs.status.value = 'done';
    const filled = ['status done'];
    if (inputs.progress.value !== '100') {
      inputs.progress.value = '100';
      filled.push('progress 100%');
    }
    if (!inputs.actual_date.value.trim()) {
      inputs.actual_date.value = today();
      autoActual = true;
      filled.push('actual date today');
    }
    suggest(`${why}: ${filled.join(', ')} filled in. Change them if needed, then save.`);
  };
  inputs.progress.addEventListener('change', () => {
    if (inputs.progress.value.trim() === '100') suggestDone('Progress 100%');
  });
  inputs.actual_date.addEventListener('change', () => {
    autoActual = false;
    if (isIsoDate(inputs.actual_date.value.trim())) suggestDone('An actual date');
  });

  function checkDates() {
    let ok = true;
    for (const k of ['forecast_date', 'actual_date']) {
      const v = inputs[k].value.trim();
      if (v && !isIsoDate(v)) {
        fieldError(k, 'Write the date as YYYY-MM-DD, for example 2027-03-31.');
        ok = false;
      }
    }
    return ok;
  }

  /** Saves the row; resolves to 'saved', 'unchanged', 'conflict', 'invalid' or 'failed'. */
  async function saveRow() {
    if (saving) return 'busy';
    clearErrors();
    const mine = changes();
    if (!Object.keys(mine).length) {
      show(message('info', 'Nothing to save: nothing in this row was changed.'));
      announce(`Nothing to save for ${title}.`);
      return 'unchanged';
    }
    if (!checkDates()) {
      show(message('error', 'Not saved: correct the marked date.'));
      announce(`${title} not saved: correct the marked date.`);
      return 'invalid';
    }
    saving = true;
    save.setAttribute('aria-disabled', 'true');
    row.setAttribute('aria-busy', 'true');
    try {
      const saved = await api.patch(`/milestones/${milestone.id}`, mine, base.version);
      base = saved;
      autoActual = false;
      fill(saved);
      markDirty();
      show(message('ok', 'Saved.'));
      announce(`Saved ${title}.`);
      onSaved(saved);
      return 'saved';
    } catch (e) {
      if (e.status === 412) return conflict(mine);
      if (e.status === 422) {
        const other = [];
        for (const { field, message: text } of e.errors) {
          if (errors[field]) fieldError(field, text);
          else other.push(`${NAMES[field] || field}: ${text}`);
        }
        show(message('error', `Not saved: ${other.length ? other.join('; ') : 'correct the marked fields.'}`));
        announce(`${title} not saved: correct the marked fields.`);
        return 'invalid';
      }
      show(message('error', `Not saved: ${e.message}`));
      announce(`${title} not saved: ${e.message}`);
      return 'failed';
    } finally {
      saving = false;
      save.removeAttribute('aria-disabled');
      row.removeAttribute('aria-busy');
    }
  }

  // Someone else saved first: take their version as the new base, keep only this user's own changes
  // on top of it, and say what each side changed.
  async function conflict(mine) {
    let fresh;
    try {
      fresh = await api.get(`/milestones/${milestone.id}`);
    } catch (e) {
      show(message('error', `Not saved: someone else changed this milestone, and it could not be reloaded: ${e.message}`));
      return 'failed';
    }
    const theirs = EDITED.filter((k) => (fresh[k] ?? null) !== (base[k] ?? null)).map((k) => [k, base[k] ?? null, fresh[k] ?? null]);
    const both = theirs.filter(([k]) => k in mine).map(([k]) => k);
    base = fresh;
    fill(fresh);
    for (const [k, v] of Object.entries(mine)) inputs[k].value = v ?? '';
    slipCell.textContent = slipText({ ...fresh, ...mine });
    markDirty();
    const kept = Object.entries(changes());
    onSaved(fresh);
    const again = h('button', { type: 'button', class: 'primary small', on: { click: () => saveRow() } }, 'Save my changes');
    const discard = h('button', { type: 'button', class: 'small', on: { click: () => {
      fill(base);
      autoActual = false;
      markDirty();
      show(message('info', 'Your changes were discarded; the row shows the saved milestone.'));
      inputs.status.focus();
    } } }, 'Discard my changes');
    const parts = [h('strong', null, 'Not saved: someone else saved this milestone first. '),
      theirs.length ? `They changed ${listChanges(theirs)}. ` : 'They changed nothing you can edit here. '];
    if (both.length) parts.push(`You both changed the ${both.map((k) => NAMES[k]).join(' and the ')}: yours is in the row. `);
    if (kept.length) {
      parts.push(`Your changes (${kept.map(([k, v]) => `${NAMES[k]} ${shown(k, v)}`).join('; ')}) are kept on top of theirs: `,
        'save them, or discard them. ', again, ' ', discard);
    } else {
      parts.push('Your changes are the same as theirs: nothing more to save.');
    }
    show(message('error', ...parts));
    announce(`${title} not saved: someone else saved it first. Your changes are kept in the row.`);
    return 'conflict';
  }

  const row = h('tr', { dataset: { milestone: milestone.id }, class: 'ms-row' },
    extraCells,
    h('th', { scope: 'row', class: 'ms-title', dataset: { label: 'Milestone' } }, title, ' ', editedTag),
    h('td', { class: 'nowrap', dataset: { label: 'Baseline' } }, milestone.baseline_date || '—'),
    cellOf('forecast_date', 'Forecast', forecast.wrap),
    cellOf('actual_date', 'Actual', actual.wrap),
    cellOf('status', 'Status', inputs.status),
    cellOf('progress', 'Progress (%)', inputs.progress),
    slipCell,
    h('td', { class: 'save-cell' }, save));
  fill(milestone);
  row.addEventListener('input', markDirty);
  row.addEventListener('change', markDirty);
  // Enter in any field saves the row; the focus stays in that field.
  row.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.target.tagName === 'BUTTON' || event.isComposing) return;
    event.preventDefault();
    saveRow();
  });
  save.addEventListener('click', () => saveRow());
  return { rows: [row, messageRow], save: saveRow, dirty: () => Object.keys(changes()).length > 0, title };
}

/**
 * The milestone editor. `extra` adds leading columns ({header, cell(milestone)}), for instance the
 * project on "Needs your update". onSaved(milestone) runs after each save (and after a conflict, with
 * the other person's version).
 */
export function milestoneEditor(milestones, { onSaved = () => {}, extra = [], caption = 'Milestones' } = {}) {
  const headers = [...extra.map((x) => x.header), 'Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress (%)', 'Slip (days)', 'Save'];
  const saveAll = h('button', { type: 'button', class: 'save-all' }, 'Save all edited (0)');
  const summary = h('div', { class: 'form-status' });
  let editors = [];
  const refreshCount = () => {
    const count = editors.filter((e) => e.dirty()).length;
    saveAll.textContent = `Save all edited (${count})`;
    saveAll.setAttribute('aria-disabled', count ? 'false' : 'true');
  };
  editors = milestones.map((m) => editableRow(m, {
    columns: headers.length,
    extraCells: extra.map((x) => h('td', { dataset: { label: x.header } }, x.cell(m))),
    onSaved,
    onDirty: () => refreshCount(),
  }));
  saveAll.addEventListener('click', async () => {
    const dirty = editors.filter((e) => e.dirty());
    if (!dirty.length) {
      replace(summary, message('info', 'Nothing to save: no row was changed.'));
      announce('Nothing to save: no row was changed.');
      return;
    }
    const results = [];
    for (const editor of dirty) results.push([editor.title, await editor.save()]);
    const saved = results.filter(([, r]) => r === 'saved').length;
    const left = results.filter(([, r]) => r !== 'saved').map(([t]) => t);
    const text = `Saved ${saved} of ${results.length}.${left.length ? ` Not saved, see the row: ${left.join(', ')}.` : ''}`;
    replace(summary, message(left.length ? 'error' : 'ok', text));
    announce(text);
    refreshCount();
  });
  const tableEl = h('table', { class: 'milestones editable' },
    h('caption', null, `${caption}. Change a row, then Enter or Save. Dates YYYY-MM-DD, or +7 for a week later.`),
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, editors.map((e) => e.rows)));
  const box = h('div', { class: 'milestone-editor' },
    h('div', { class: 'editor-bar' }, saveAll, summary),
    scrollRegion(h('div', { class: 'table-wrap' }, tableEl), caption));
  refreshCount();
  trackEdits({ unsaved: () => editors.filter((e) => e.dirty()).length, isConnected: () => box.isConnected });
  return box;
}
