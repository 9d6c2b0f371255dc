// The milestone editor: a table of milestones edited in place (one card each on a phone). Each row
// remembers the version it was loaded at and saves only the fields its user changed (PATCH with
// If-Match). Edited rows are marked; "Save all" saves them one by one; Enter in a row saves that row and
// the focus stays where it was. When someone else saved first (412) the row shows what they changed and
// keeps this user's own changes on top of theirs, to be saved again: nobody's work is lost.

import * as api from './api.js';
import { h, replace, select, note, dateInput, isIsoDate, today, scrollRegion, announce, uid } from './dom.js';
import { trackEdits, draftOf, keepDraft } from './unsaved.js';
import { choices, wordsOf } from './meta.js';

const EDITED = ['forecast_date', 'actual_date', 'status', 'progress'];
const NAMES = { forecast_date: 'forecast date', actual_date: 'actual date', status: 'status', progress: 'progress' };

/** A slip in days as the server computed it (GET /projects/{id}/trend, `slip_days`): "+12", "-3", "0";
 * "—" when the server gave none. The page never works a slip out itself (docs/WEB.md). */
export function slipText(days) {
  return days === null || days === undefined ? '—' : `${days > 0 ? '+' : ''}${days}`;
}

/** The server's slip of every milestone of these projects, by milestone id (one GET
 * /projects/{id}/trend a project). */
export async function serverSlips(projectIds) {
  const trends = await Promise.all([...new Set(projectIds)].map((id) => api.get(`/projects/${id}/trend`)));
  return new Map(trends.flatMap((trend) => trend.milestones.map((m) => [m.id, m.slip_days])));
}

/** A field's value as people say it: "in progress", "55%", "none". */
function shown(key, value) {
  if (value === null || value === undefined || value === '') return 'none';
  if (key === 'status') return wordsOf(value);
  if (key === 'progress') return `${value}%`;
  return String(value);
}

function listChanges(pairs) {
  return pairs.map(([key, from, to]) => `${NAMES[key]} ${shown(key, from)} → ${shown(key, to)}`).join('; ');
}

/** One editable milestone: its row, the message row under it, and what the editor needs of it. */
function editableRow(milestone, { columns, extraCells, slipCell, onSaved, onDirty }) {
  let base = milestone; // the version this row's edits apply to
  let inFlight = null; // the save under way, if any
  let auto = {}; // what choosing "Done" filled in: {actual_date, progress} -> the value before
  const title = milestone.title;
  const aria = (what) => `${what} of ${title}`;
  const forecast = dateInput({ name: 'forecast_date', 'aria-label': aria('Forecast date (YYYY-MM-DD)') });
  const actual = dateInput({ name: 'actual_date', 'aria-label': aria('Actual date (YYYY-MM-DD)') });
  const inputs = {
    forecast_date: forecast.input,
    actual_date: actual.input,
    status: select(choices('milestone_status'), milestone.status, { name: 'status', 'aria-label': aria('Status') }),
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
  const editedTag = h('span', { class: 'edited-tag', hidden: true }, 'edited, not saved');

  function setField(key, value) {
    inputs[key].value = key === 'progress' ? String(value ?? 0) : value || '';
  }

  function fill(m) {
    for (const k of EDITED) setField(k, m[k]);
    inputs.forecast_date.dataset.from = m.forecast_date || m.baseline_date || '';
    inputs.actual_date.dataset.from = m.actual_date || '';
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

  /** Takes `fresh` as the new base. A field keeps what is typed in it when the user changed it since
   * `typed` (what the row held when the save or the reload began) or when `keep` names it. */
  function rebase(fresh, typed, keep = {}) {
    const now = entered();
    base = fresh;
    // What was typed after the save began stays whatever it is; the rest takes `keep`, else `fresh`.
    for (const k of EDITED) if (now[k] === typed[k]) setField(k, k in keep ? keep[k] : fresh[k]);
    inputs.forecast_date.dataset.from = fresh.forecast_date || fresh.baseline_date || '';
    inputs.actual_date.dataset.from = fresh.actual_date || '';
    markDirty();
  }

  function show(...children) {
    replace(status, ...children);
    messageRow.hidden = children.length === 0;
  }

  function markDirty() {
    const mine = changes();
    const dirty = Object.keys(mine).length > 0;
    row.classList.toggle('edited', dirty);
    messageRow.classList.toggle('edited', dirty);
    editedTag.hidden = !dirty;
    keepDraft(milestone.id, {
      version: base.version,
      base: Object.fromEntries(EDITED.map((k) => [k, base[k] ?? null])),
      changes: mine,
      project_id: milestone.project_id,
      title,
    });
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

  // Status, actual date and progress go together: "done" means an actual date and 100%. Returns the
  // suggestion made (said and shown), or '' when there was none.
  function suggest(text) {
    show(note('info', text));
    announce(text);
    return text;
  }
  function fillForDone(why) {
    const filled = [];
    if (inputs.status.value !== 'done') {
      auto.status = inputs.status.value;
      inputs.status.value = 'done';
      filled.push('status done');
    }
    if (inputs.progress.value.trim() !== '100') {
      auto.progress = inputs.progress.value;
      inputs.progress.value = '100';
      filled.push('progress 100%');
    }
    if (!inputs.actual_date.value.trim()) {
      auto.actual_date = '';
      inputs.actual_date.value = today();
      filled.push('actual date today');
    }
    return filled.length ? suggest(`${why}: ${filled.join(', ')} filled in. Change them if needed, then save.`) : '';
  }
  function linkFields(changed) {
    if (changed === 'status') {
      if (inputs.status.value === 'done') return fillForDone('Done');
      // Leaving "done" takes back what choosing it filled in.
      if ('actual_date' in auto) inputs.actual_date.value = auto.actual_date;
      if ('progress' in auto) inputs.progress.value = auto.progress;
      auto = {};
      return '';
    }
    if (inputs.status.value === 'done' || inputs.status.value === 'cancelled') return '';
    if (changed === 'progress' && inputs.progress.value.trim() === '100') return fillForDone('Progress 100%');
    if (changed === 'actual_date' && isIsoDate(inputs.actual_date.value.trim())) return fillForDone('An actual date');
    return '';
  }
  const linked = {}; // the value each field had when it was last linked
  const linkOnce = (key) => {
    if (linked[key] === inputs[key].value) return '';
    linked[key] = inputs[key].value;
    return linkFields(key);
  };
  for (const key of ['status', 'progress', 'actual_date']) inputs[key].addEventListener('change', () => linkOnce(key));

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

  /** Keeps the focus in the row when what had it (a button of the message) is gone. */
  function keepFocus() {
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) save.focus();
  }

  /**
   * Saves the row; resolves to 'saved', 'unchanged', 'conflict', 'invalid' or 'failed'. A save asked
   * for while one is under way waits for it and saves what is left after it. `quiet`: the caller (Save
   * all) says the outcome itself.
   */
  async function saveRow({ quiet = false } = {}) {
    while (inFlight) await inFlight.catch(() => {});
    inFlight = saveNow(quiet);
    try {
      return await inFlight;
    } finally {
      inFlight = null;
      keepFocus();
    }
  }

  async function saveNow(quiet) {
    const say = (text) => {
      if (!quiet) announce(text);
    };
    clearErrors();
    const mine = changes();
    if (!Object.keys(mine).length) {
      show(note('info', 'Nothing to save: nothing in this row was changed.'));
      say(`Nothing to save for ${title}.`);
      return 'unchanged';
    }
    if (!checkDates()) {
      show(note('error', 'Not saved: correct the marked date.'));
      say(`${title} not saved: correct the marked date.`);
      return 'invalid';
    }
    const typed = entered();
    save.setAttribute('aria-disabled', 'true');
    row.setAttribute('aria-busy', 'true');
    try {
      const saved = await api.patch(`/milestones/${milestone.id}`, mine, base.version);
      auto = {};
      rebase(saved, typed);
      const left = Object.keys(changes()).length;
      show(note('ok', left ? 'Saved. What you typed since is kept, not saved yet.' : 'Saved.'));
      say(`Saved ${title}.`);
      onSaved(saved);
      return 'saved';
    } catch (e) {
      if (e.status === 412) return conflict(mine, typed, say);
      if (e.status === 422) {
        const other = [];
        for (const { field, message: text } of e.errors) {
          if (errors[field]) fieldError(field, text);
          else other.push(`${NAMES[field] || field}: ${text}`);
        }
        show(note('error', `Not saved: ${other.length ? other.join('; ') : 'correct the marked fields.'}`));
        say(`${title} not saved: correct the marked fields.`);
        return 'invalid';
      }
      if (e.status === 404) {
        show(note('error', 'Not saved: this milestone was deleted, or is no longer shared with you. ', discardButton()));
        say(`${title} not saved: it was deleted.`);
        return 'failed';
      }
      show(note('error', `Not saved: ${e.message} Your changes are kept in the row; save again in a moment.`));
      say(`${title} not saved: ${e.message}`);
      return 'failed';
    } finally {
      save.removeAttribute('aria-disabled');
      row.removeAttribute('aria-busy');
    }
  }

  function discardButton() {
    return h('button', { type: 'button', class: 'small', on: { click: async () => {
      if (base.version !== milestone.version || draft) {
        try {
          base = await api.get(`/milestones/${milestone.id}`);
        } catch {
          // keep the base there is; the next save says what is wrong
        }
      }
      fill(base);
      auto = {};
      markDirty();
      show(note('info', 'Your changes were discarded; the row shows the saved milestone.'));
      announce(`Your changes to ${title} were discarded.`);
      save.focus();
    } } }, 'Discard my changes');
  }

  // Someone else saved first: take their version as the new base, keep only this user's own changes
  // (and whatever they typed since) on top of it, and say what each side changed.
  async function conflict(mine, typed, say) {
    let fresh;
    try {
      fresh = await api.get(`/milestones/${milestone.id}`);
    } catch (e) {
      show(note('error', `Not saved: someone else changed this milestone, and it could not be reloaded (${e.message}). Your changes are kept in the row; save again in a moment.`));
      say(`${title} not saved: someone else changed it, and it could not be reloaded.`);
      return 'failed';
    }
    const theirs = EDITED.filter((k) => (fresh[k] ?? null) !== (base[k] ?? null)).map((k) => [k, base[k] ?? null, fresh[k] ?? null]);
    const both = theirs.filter(([k]) => k in mine).map(([k]) => k);
    rebase(fresh, typed, mine);
    const kept = Object.entries(changes());
    onSaved(fresh);
    const again = h('button', { type: 'button', class: 'primary small', on: { click: () => saveRow() } }, 'Save my changes');
    const parts = [h('strong', null, 'Not saved: someone else saved this milestone first. '),
      theirs.length ? `They changed ${listChanges(theirs)}. ` : 'They changed nothing you can edit here. '];
    if (both.length) parts.push(`You both changed the ${both.map((k) => NAMES[k]).join(' and the ')}: yours is in the row. `);
    if (kept.length) {
      parts.push(`Your changes (${kept.map(([k, v]) => `${NAMES[k]} ${shown(k, v)}`).join('; ')}) are kept on top of theirs: `,
        'save them, or discard them. ', again, ' ', discardButton());
    } else {
      parts.push('Your changes are the same as theirs: nothing more to save.');
    }
    show(note('error', ...parts));
    say(`${title} not saved: someone else saved it first. ${theirs.length ? `They changed ${listChanges(theirs)}. ` : ''}Your changes are kept in the row.`);
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
  for (const key of ['status', 'progress', 'actual_date']) linked[key] = inputs[key].value;
  // Edits kept from before (an expired session, a reload, a redrawn table) come back on top, applying
  // to the version they were made on: if the milestone changed since, saving them meets the conflict
  // (412) and its message says what changed, like any other conflict.
  const draft = draftOf(milestone.id);
  if (draft) {
    if (draft.version !== milestone.version && draft.base) base = { ...milestone, ...draft.base, version: draft.version };
    for (const [k, v] of Object.entries(draft.changes)) if (EDITED.includes(k)) setField(k, v);
    show(note('info', draft.version !== milestone.version
      ? 'Your unsaved changes are back in this row. The milestone has changed since you began editing it: saving shows what changed. '
      : 'Your unsaved changes are back in this row: save them, or discard them. ', discardButton()));
  }
  row.addEventListener('input', markDirty);
  row.addEventListener('change', markDirty);
  // Enter in any field saves the row, the focus staying in that field; an Enter that first links the
  // fields (100% suggests "done") only shows the suggestion, and the next Enter saves.
  row.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.target.tagName === 'BUTTON' || event.isComposing) return;
    event.preventDefault();
    const key = event.target.name;
    if (key in linked && linkOnce(key)) {
      markDirty();
      return;
    }
    saveRow();
  });
  save.addEventListener('click', () => saveRow());
  markDirty();
  return { rows: [row, messageRow], save: saveRow, dirty: () => Object.keys(changes()).length > 0, title };
}

/**
 * The slip cells of an editor, by milestone id, filled with what the server says (serverSlips): at
 * once for every project shown, then for a project again after one of its milestones was saved.
 */
function slipCells(milestones) {
  const cells = new Map(milestones.map((m) => [m.id, h('td', { class: 'num', dataset: { label: 'Slip (days)' } }, '—')]));
  const asked = new Map(); // project id -> the number of the last refresh asked for, so a late answer loses
  const refresh = async (projectIds) => {
    const ids = [...new Set(projectIds)];
    const serial = ids.map((id) => asked.set(id, (asked.get(id) || 0) + 1).get(id));
    try {
      const slips = await serverSlips(ids);
      for (const m of milestones) {
        const at = ids.indexOf(m.project_id);
        if (at >= 0 && asked.get(m.project_id) === serial[at] && slips.has(m.id)) cells.get(m.id).textContent = slipText(slips.get(m.id));
      }
    } catch {
      // the cells keep what they show; the slip is shown again after the next save
    }
  };
  refresh(milestones.map((m) => m.project_id));
  return { cellOf: (m) => cells.get(m.id), refresh };
}

/**
 * The milestone editor. `extra` adds leading columns ({header, cell(milestone)}), for instance the
 * project on "Needs your update". onSaved(milestone) runs after each save (and after a conflict, with
 * the other person's version). The slip column shows the server's slip (serverSlips).
 */
export function milestoneEditor(milestones, { onSaved = () => {}, extra = [], caption = 'Milestones' } = {}) {
  const headers = [...extra.map((x) => x.header), 'Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress (%)', 'Slip (days)', 'Save'];
  const saveAll = h('button', { type: 'button', class: 'save-all' }, 'Save all edited (0)');
  const summary = h('div', { class: 'form-status' });
  let editors = [];
  let savingAll = false;
  const refreshCount = () => {
    const count = editors.filter((e) => e.dirty()).length;
    saveAll.textContent = `Save all edited (${count})`;
    if (!savingAll) saveAll.setAttribute('aria-disabled', count ? 'false' : 'true');
  };
  const slips = slipCells(milestones);
  editors = milestones.map((m) => editableRow(m, {
    columns: headers.length,
    extraCells: extra.map((x) => h('td', { dataset: { label: x.header } }, x.cell(m))),
    slipCell: slips.cellOf(m),
    onSaved: (saved) => {
      slips.refresh([saved.project_id ?? m.project_id]);
      onSaved(saved);
    },
    onDirty: () => refreshCount(),
  }));
  saveAll.addEventListener('click', async () => {
    if (savingAll) return;
    const dirty = editors.filter((e) => e.dirty());
    if (!dirty.length) {
      replace(summary, note('info', 'Nothing to save: no row was changed.'));
      announce('Nothing to save: no row was changed.');
      return;
    }
    savingAll = true;
    saveAll.setAttribute('aria-disabled', 'true');
    replace(summary, note('info', `Saving ${dirty.length} row${dirty.length === 1 ? '' : 's'}…`));
    const results = [];
    try {
      for (const editor of dirty) results.push([editor.title, await editor.save({ quiet: true })]);
    } finally {
      savingAll = false;
      refreshCount();
    }
    // A row saved by its own Save meanwhile has nothing left to save: that is not a failure.
    const done = results.filter(([, r]) => r === 'saved' || r === 'unchanged').length;
    const left = results.filter(([, r]) => r !== 'saved' && r !== 'unchanged').map(([t]) => t);
    const text = `Saved ${done} of ${results.length}.${left.length ? ` Not saved, see the row: ${left.join(', ')}.` : ''}`;
    replace(summary, note(left.length ? 'error' : 'ok', text));
    announce(text);
  });
  const tableEl = h('table', { class: 'milestones editable' },
    h('caption', null, `${caption}. Change a row, then Enter or Save. Dates YYYY-MM-DD, or +7 for a week later.`),
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, editors.map((e) => e.rows)));
  const box = h('div', { class: 'milestone-editor' },
    h('div', { class: 'editor-bar' }, saveAll, summary),
    scrollRegion(h('div', { class: 'table-wrap' }, tableEl), caption));
  refreshCount();
  trackEdits({ unsaved: () => editors.filter((e) => e.dirty()).length, isConnected: () => box.isConnected,
    milestoneIds: () => milestones.map((m) => m.id) });
  return box;
}
