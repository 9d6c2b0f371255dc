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
const LINKED = ['status', 'progress', 'actual_date']; // the fields that go together (FieldLinks)
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

/** Changes as people say them: "status planned → in progress; progress 0% → 20%". */
function listChanges(pairs) {
  return pairs.map(([key, from, to]) => `${NAMES[key]} ${shown(key, from)} → ${shown(key, to)}`).join('; ');
}

/** A milestone's four inputs, each labelled with its title, and the wraps of the two date fields. */
function rowInputs(milestone) {
  const aria = (what) => `${what} of ${milestone.title}`;
  const forecast = dateInput({ name: 'forecast_date', 'aria-label': aria('Forecast date (YYYY-MM-DD)') });
  const actual = dateInput({ name: 'actual_date', 'aria-label': aria('Actual date (YYYY-MM-DD)') });
  const inputs = {
    forecast_date: forecast.input,
    actual_date: actual.input,
    status: select(choices('milestone_status'), milestone.status, { name: 'status', 'aria-label': aria('Status') }),
    progress: h('input', { type: 'number', name: 'progress', min: 0, max: 100, step: 1, inputmode: 'numeric', class: 'narrow', 'aria-label': aria('Progress (%)') }),
  };
  return { inputs, forecastWrap: forecast.wrap, actualWrap: actual.wrap };
}

/** What the inputs hold, as the API takes it: trimmed dates or null, progress a number when it is one. */
function enteredIn(inputs) {
  const text = (input) => (input.value.trim() === '' ? null : input.value.trim());
  const progress = inputs.progress.value.trim();
  return {
    forecast_date: text(inputs.forecast_date),
    actual_date: text(inputs.actual_date),
    status: inputs.status.value,
    progress: progress === '' ? null : Number.isFinite(Number(progress)) ? Number(progress) : progress,
  };
}

/**
 * Status, actual date and progress go together: "done" means an actual date and 100%. Remembers what
 * choosing "Done" filled in (to take it back) and the value each field was last linked at.
 */
class FieldLinks {
  /** `suggest(text)` says and shows a suggestion and returns it. */
  constructor(inputs, suggest) {
    this.inputs = inputs;
    this.suggest = suggest;
    this.auto = {}; // what choosing "Done" filled in: {actual_date, progress} -> the value before
    this.linked = {}; // the value each field had when it was last linked
  }

  /** Takes what the linked fields hold now as linked already (the row was just filled). */
  remember() {
    for (const key of LINKED) this.linked[key] = this.inputs[key].value;
  }

  /** Forgets what choosing "Done" filled in (after a save or a discard). */
  forget() {
    this.auto = {};
  }

  /** Whether `key` names one of the linked fields. */
  has(key) {
    return key in this.linked;
  }

  /** Links the fields after `key` changed, unless it holds the value it was last linked at; returns the suggestion made, or ''. */
  once(key) {
    if (this.linked[key] === this.inputs[key].value) return '';
    this.linked[key] = this.inputs[key].value;
    return this.link(key);
  }

  /** Links the fields after `changed` changed; returns the suggestion made (said and shown), or '' when there was none. */
  link(changed) {
    const inputs = this.inputs;
    if (changed === 'status') {
      if (inputs.status.value === 'done') return this.fillForDone('Done');
      // Leaving "done" takes back what choosing it filled in.
      if ('actual_date' in this.auto) inputs.actual_date.value = this.auto.actual_date;
      if ('progress' in this.auto) inputs.progress.value = this.auto.progress;
      this.auto = {};
      return '';
    }
    if (inputs.status.value === 'done' || inputs.status.value === 'cancelled') return '';
    if (changed === 'progress' && inputs.progress.value.trim() === '100') return this.fillForDone('Progress 100%');
    if (changed === 'actual_date' && isIsoDate(inputs.actual_date.value.trim())) return this.fillForDone('An actual date');
    return '';
  }

  /** Fills in what "done" needs and is missing (status, 100%, today), remembering what was there; returns the suggestion, or ''. */
  fillForDone(why) {
    const { inputs, auto } = this;
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
    return filled.length ? this.suggest(`${why}: ${filled.join(', ')} filled in. Change them if needed, then save.`) : '';
  }
}

/** One editable milestone: its row and message row, the version its edits apply to, its saves and conflicts. */
class MilestoneRow {
  /** Builds the row, fills it with the milestone and any draft kept of it, and listens to it. */
  constructor(milestone, { columns, extraCells, slipCell, onSaved, onDirty }) {
    this.milestone = milestone;
    this.title = milestone.title;
    this.base = milestone; // the version this row's edits apply to
    this.inFlight = null; // the save under way, if any
    this.onSaved = onSaved;
    this.onDirty = onDirty;
    const { inputs, forecastWrap, actualWrap } = rowInputs(milestone);
    this.inputs = inputs;
    this.errors = {};
    this.status = h('div', { class: 'row-status' });
    this.messageRow = h('tr', { class: 'row-message', hidden: true }, h('td', { colspan: columns }, this.status));
    this.saveButton = h('button', { type: 'button', class: 'primary small save', 'aria-label': `Save ${this.title}` }, 'Save');
    this.editedTag = h('span', { class: 'edited-tag', hidden: true }, 'edited, not saved');
    this.links = new FieldLinks(inputs, (text) => this.suggest(text));
    for (const key of LINKED) inputs[key].addEventListener('change', () => this.links.once(key));
    this.row = this.buildRow(extraCells, slipCell, forecastWrap, actualWrap);
    this.fill(milestone);
    this.links.remember();
    this.draft = draftOf(milestone.id);
    if (this.draft) this.restoreDraft(this.draft);
    this.listen();
    this.markDirty();
  }

  /** The row: the extra cells, the title, the baseline, the four fields with their errors, the slip, Save. */
  buildRow(extraCells, slipCell, forecastWrap, actualWrap) {
    return h('tr', { dataset: { milestone: this.milestone.id }, class: 'ms-row' },
      extraCells,
      h('th', { scope: 'row', class: 'ms-title', dataset: { label: 'Milestone' } }, this.title, ' ', this.editedTag),
      h('td', { class: 'nowrap', dataset: { label: 'Baseline' } }, this.milestone.baseline_date || '—'),
      this.cellOf('forecast_date', 'Forecast', forecastWrap),
      this.cellOf('actual_date', 'Actual', actualWrap),
      this.cellOf('status', 'Status', this.inputs.status),
      this.cellOf('progress', 'Progress (%)', this.inputs.progress),
      slipCell,
      h('td', { class: 'save-cell' }, this.saveButton));
  }

  /** A field's cell: its control and the error that describes it. */
  cellOf(name, heading, control) {
    const error = h('span', { class: 'field-error', id: uid('err') });
    this.inputs[name].setAttribute('aria-describedby', error.id);
    this.errors[name] = error;
    return h('td', { class: 'edit-cell', dataset: { label: heading } }, control, error);
  }

  /**
   * Edits kept from before (an expired session, a reload, a redrawn table) come back on top, applying
   * to the version they were made on: if the milestone changed since, saving them meets the conflict
   * (412) and its message says what changed, like any other conflict.
   */
  restoreDraft(draft) {
    const milestone = this.milestone;
    if (draft.version !== milestone.version && draft.base) this.base = { ...milestone, ...draft.base, version: draft.version };
    for (const [k, v] of Object.entries(draft.changes)) if (EDITED.includes(k)) this.setField(k, v);
    this.show(note('info', draft.version !== milestone.version
      ? 'Your unsaved changes are back in this row. The milestone has changed since you began editing it: saving shows what changed. '
      : 'Your unsaved changes are back in this row: save them, or discard them. ', this.discardButton()));
  }

  /** Marks the row on every edit; Enter in a field and the Save button save it. */
  listen() {
    this.row.addEventListener('input', () => this.markDirty());
    this.row.addEventListener('change', () => this.markDirty());
    this.row.addEventListener('keydown', (event) => this.onKeydown(event));
    this.saveButton.addEventListener('click', () => this.save());
  }

  /**
   * Enter in any field saves the row, the focus staying in that field; an Enter that first links the
   * fields (100% suggests "done") only shows the suggestion, and the next Enter saves.
   */
  onKeydown(event) {
    if (event.key !== 'Enter' || event.target.tagName === 'BUTTON' || event.isComposing) return;
    event.preventDefault();
    const key = event.target.name;
    if (this.links.has(key) && this.links.once(key)) {
      this.markDirty();
      return;
    }
    this.save();
  }

  /** Puts a value in a field's input (progress 0 when there is none). */
  setField(key, value) {
    this.inputs[key].value = key === 'progress' ? String(value ?? 0) : value || '';
  }

  /** Fills the inputs with milestone `m`; the date fields count "+7" from its dates. */
  fill(m) {
    for (const k of EDITED) this.setField(k, m[k]);
    this.inputs.forecast_date.dataset.from = m.forecast_date || m.baseline_date || '';
    this.inputs.actual_date.dataset.from = m.actual_date || '';
  }

  /** What the inputs hold, as the API takes it. */
  entered() {
    return enteredIn(this.inputs);
  }

  /** The fields this user changed since `base`, as {key: value}. */
  changes() {
    const mine = this.entered();
    const out = {};
    for (const k of EDITED) if (mine[k] !== (this.base[k] ?? null)) out[k] = mine[k];
    return out;
  }

  /** Whether this user changed any field since `base`. */
  dirty() {
    return Object.keys(this.changes()).length > 0;
  }

  /** Takes `fresh` as the new base. A field keeps what is typed in it when the user changed it since
   * `typed` (what the row held when the save or the reload began) or when `keep` names it. */
  rebase(fresh, typed, keep = {}) {
    const now = this.entered();
    this.base = fresh;
    // What was typed after the save began stays whatever it is; the rest takes `keep`, else `fresh`.
    for (const k of EDITED) if (now[k] === typed[k]) this.setField(k, k in keep ? keep[k] : fresh[k]);
    this.inputs.forecast_date.dataset.from = fresh.forecast_date || fresh.baseline_date || '';
    this.inputs.actual_date.dataset.from = fresh.actual_date || '';
    this.markDirty();
  }

  /** Shows `children` in the message row under the row; nothing hides it. */
  show(...children) {
    replace(this.status, ...children);
    this.messageRow.hidden = children.length === 0;
  }

  /** Marks the row edited or not, keeps its draft (unsaved.js) and tells the editor. */
  markDirty() {
    const mine = this.changes();
    const dirty = Object.keys(mine).length > 0;
    this.row.classList.toggle('edited', dirty);
    this.messageRow.classList.toggle('edited', dirty);
    this.editedTag.hidden = !dirty;
    keepDraft(this.milestone.id, {
      version: this.base.version,
      base: Object.fromEntries(EDITED.map((k) => [k, this.base[k] ?? null])),
      changes: mine,
      project_id: this.milestone.project_id,
      title: this.title,
    });
    this.onDirty();
  }

  /** Clears every field's error. */
  clearErrors() {
    for (const k of EDITED) {
      this.errors[k].textContent = '';
      this.inputs[k].removeAttribute('aria-invalid');
    }
  }

  /** Marks a field invalid and says why under it. */
  fieldError(key, text) {
    this.errors[key].textContent = text;
    this.inputs[key].setAttribute('aria-invalid', 'true');
  }

  /** Shows and says a suggestion of the linked fields; returns it. */
  suggest(text) {
    this.show(note('info', text));
    announce(text);
    return text;
  }

  /** Marks each date field that is not YYYY-MM-DD; false when there was one. */
  checkDates() {
    let ok = true;
    for (const k of ['forecast_date', 'actual_date']) {
      const v = this.inputs[k].value.trim();
      if (v && !isIsoDate(v)) {
        this.fieldError(k, 'Write the date as YYYY-MM-DD, for example 2027-03-31.');
        ok = false;
      }
    }
    return ok;
  }

  /** Keeps the focus in the row when what had it (a button of the message) is gone. */
  keepFocus() {
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) this.saveButton.focus();
  }

  /**
   * Saves the row; resolves to 'saved', 'unchanged', 'conflict', 'invalid' or 'failed'. A save asked
   * for while one is under way waits for it and saves what is left after it. `quiet`: the caller (Save
   * all) says the outcome itself.
   */
  async save({ quiet = false } = {}) {
    while (this.inFlight) await this.inFlight.catch(() => {});
    this.inFlight = this.saveNow(quiet);
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
      this.keepFocus();
    }
  }

  /** Sends this user's changes (PATCH with If-Match on `base`) and says the outcome through `say` too. */
  async saveNow(quiet) {
    const say = (text) => {
      if (!quiet) announce(text);
    };
    this.clearErrors();
    const mine = this.changes();
    const refused = this.refusal(mine, say);
    if (refused) return refused;
    const typed = this.entered();
    this.saveButton.setAttribute('aria-disabled', 'true');
    this.row.setAttribute('aria-busy', 'true');
    try {
      const saved = await api.patch(`/milestones/${this.milestone.id}`, mine, this.base.version);
      this.links.forget();
      this.rebase(saved, typed);
      const left = Object.keys(this.changes()).length;
      this.show(note('ok', left ? 'Saved. What you typed since is kept, not saved yet.' : 'Saved.'));
      say(`Saved ${this.title}.`);
      this.onSaved(saved);
      return 'saved';
    } catch (e) {
      return this.failed(e, mine, typed, say);
    } finally {
      this.saveButton.removeAttribute('aria-disabled');
      this.row.removeAttribute('aria-busy');
    }
  }

  /** Why `mine` is not sent ('unchanged': nothing changed; 'invalid': a bad date), shown and said; '' when it can be. */
  refusal(mine, say) {
    if (!Object.keys(mine).length) {
      this.show(note('info', 'Nothing to save: nothing in this row was changed.'));
      say(`Nothing to save for ${this.title}.`);
      return 'unchanged';
    }
    if (!this.checkDates()) {
      this.show(note('error', 'Not saved: correct the marked date.'));
      say(`${this.title} not saved: correct the marked date.`);
      return 'invalid';
    }
    return '';
  }

  /** Shows and says why a save failed (a conflict's promise for a 412); returns the outcome. */
  failed(e, mine, typed, say) {
    const title = this.title;
    if (e.status === 412) return this.conflict(mine, typed, say);
    if (e.status === 422) {
      const other = [];
      for (const { field, message: text } of e.errors) {
        if (this.errors[field]) this.fieldError(field, text);
        else other.push(`${NAMES[field] || field}: ${text}`);
      }
      this.show(note('error', `Not saved: ${other.length ? other.join('; ') : 'correct the marked fields.'}`));
      say(`${title} not saved: correct the marked fields.`);
      return 'invalid';
    }
    if (e.status === 404) {
      this.show(note('error', 'Not saved: this milestone was deleted, or is no longer shared with you. ', this.discardButton()));
      say(`${title} not saved: it was deleted.`);
      return 'failed';
    }
    this.show(note('error', `Not saved: ${e.message} Your changes are kept in the row; save again in a moment.`));
    say(`${title} not saved: ${e.message}`);
    return 'failed';
  }

  /** The "Discard my changes" button of a message. */
  discardButton() {
    return h('button', { type: 'button', class: 'small', on: { click: () => this.discard() } }, 'Discard my changes');
  }

  /** Drops this user's changes: the row shows the saved milestone again (reloaded when it may have changed). */
  async discard() {
    if (this.base.version !== this.milestone.version || this.draft) {
      try {
        this.base = await api.get(`/milestones/${this.milestone.id}`);
      } catch {
        // keep the base there is; the next save says what is wrong
      }
    }
    this.fill(this.base);
    this.links.forget();
    this.markDirty();
    this.show(note('info', 'Your changes were discarded; the row shows the saved milestone.'));
    announce(`Your changes to ${this.title} were discarded.`);
    this.saveButton.focus();
  }

  /** Someone else saved first: take their version as the new base, keep only this user's own changes
   * (and whatever they typed since) on top of it, and say what each side changed. */
  async conflict(mine, typed, say) {
    const title = this.title;
    let fresh;
    try {
      fresh = await api.get(`/milestones/${this.milestone.id}`);
    } catch (e) {
      this.show(note('error', `Not saved: someone else changed this milestone, and it could not be reloaded (${e.message}). Your changes are kept in the row; save again in a moment.`));
      say(`${title} not saved: someone else changed it, and it could not be reloaded.`);
      return 'failed';
    }
    const base = this.base;
    const theirs = EDITED.filter((k) => (fresh[k] ?? null) !== (base[k] ?? null)).map((k) => [k, base[k] ?? null, fresh[k] ?? null]);
    const both = theirs.filter(([k]) => k in mine).map(([k]) => k);
    this.rebase(fresh, typed, mine);
    const kept = Object.entries(this.changes());
    this.onSaved(fresh);
    this.show(note('error', ...this.conflictMessage(theirs, both, kept)));
    say(`${title} not saved: someone else saved it first. ${theirs.length ? `They changed ${listChanges(theirs)}. ` : ''}Your changes are kept in the row.`);
    return 'conflict';
  }

  /** The conflict panel's text and buttons: what they changed, what both changed, what is kept of this user's. */
  conflictMessage(theirs, both, kept) {
    const again = h('button', { type: 'button', class: 'primary small', on: { click: () => this.save() } }, 'Save my changes');
    const parts = [h('strong', null, 'Not saved: someone else saved this milestone first. '),
      theirs.length ? `They changed ${listChanges(theirs)}. ` : 'They changed nothing you can edit here. '];
    if (both.length) parts.push(`You both changed the ${both.map((k) => NAMES[k]).join(' and the ')}: yours is in the row. `);
    if (kept.length) {
      parts.push(`Your changes (${kept.map(([k, v]) => `${NAMES[k]} ${shown(k, v)}`).join('; ')}) are kept on top of theirs: `,
        'save them, or discard them. ', again, ' ', this.discardButton());
    } else {
      parts.push('Your changes are the same as theirs: nothing more to save.');
    }
    return parts;
  }
}

/** One editable milestone: its row, the message row under it, and what the editor needs of it. */
function editableRow(milestone, options) {
  const row = new MilestoneRow(milestone, options);
  return { rows: [row.row, row.messageRow], save: (opts) => row.save(opts), dirty: () => row.dirty(), title: row.title };
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

/** Says in `summary` (and aloud) what became of each row Save all saved: results are [title, outcome]. */
function sayResults(summary, results) {
  // A row saved by its own Save meanwhile has nothing left to save: that is not a failure.
  const done = results.filter(([, r]) => r === 'saved' || r === 'unchanged').length;
  const left = results.filter(([, r]) => r !== 'saved' && r !== 'unchanged').map(([t]) => t);
  const text = `Saved ${done} of ${results.length}.${left.length ? ` Not saved, see the row: ${left.join(', ')}.` : ''}`;
  replace(summary, note(left.length ? 'error' : 'ok', text));
  announce(text);
}

/**
 * The "Save all edited (N)" button and its summary: the button counts the edited rows of `editors()`
 * (refreshCount) and saves them one by one, each with its own If-Match; the summary says what became of each.
 */
function saveAllBar(editors) {
  const button = h('button', { type: 'button', class: 'save-all' }, 'Save all edited (0)');
  const summary = h('div', { class: 'form-status' });
  let savingAll = false;
  const refreshCount = () => {
    const count = editors().filter((e) => e.dirty()).length;
    button.textContent = `Save all edited (${count})`;
    if (!savingAll) button.setAttribute('aria-disabled', count ? 'false' : 'true');
  };
  button.addEventListener('click', async () => {
    if (savingAll) return;
    const dirty = editors().filter((e) => e.dirty());
    if (!dirty.length) {
      replace(summary, note('info', 'Nothing to save: no row was changed.'));
      announce('Nothing to save: no row was changed.');
      return;
    }
    savingAll = true;
    button.setAttribute('aria-disabled', 'true');
    replace(summary, note('info', `Saving ${dirty.length} row${dirty.length === 1 ? '' : 's'}…`));
    const results = [];
    try {
      for (const editor of dirty) results.push([editor.title, await editor.save({ quiet: true })]);
    } finally {
      savingAll = false;
      refreshCount();
    }
    sayResults(summary, results);
  });
  return { button, summary, refreshCount };
}

/**
 * The milestone editor. `extra` adds leading columns ({header, cell(milestone)}), for instance the
 * project on "Needs your update". onSaved(milestone) runs after each save (and after a conflict, with
 * the other person's version). The slip column shows the server's slip (serverSlips).
 */
export function milestoneEditor(milestones, { onSaved = () => {}, extra = [], caption = 'Milestones' } = {}) {
  const headers = [...extra.map((x) => x.header), 'Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress (%)', 'Slip (days)', 'Save'];
  let editors = [];
  const bar = saveAllBar(() => editors);
  const slips = slipCells(milestones);
  editors = milestones.map((m) => editableRow(m, {
    columns: headers.length,
    extraCells: extra.map((x) => h('td', { dataset: { label: x.header } }, x.cell(m))),
    slipCell: slips.cellOf(m),
    onSaved: (saved) => {
      slips.refresh([saved.project_id ?? m.project_id]);
      onSaved(saved);
    },
    onDirty: () => bar.refreshCount(),
  }));
  const tableEl = h('table', { class: 'milestones editable' },
    h('caption', null, `${caption}. Change a row, then Enter or Save. Dates YYYY-MM-DD, or +7 for a week later.`),
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, editors.map((e) => e.rows)));
  const box = h('div', { class: 'milestone-editor' },
    h('div', { class: 'editor-bar' }, bar.button, bar.summary),
    scrollRegion(h('div', { class: 'table-wrap' }, tableEl), caption));
  bar.refreshCount();
  trackEdits({ unsaved: () => editors.filter((e) => e.dirty()).length, isConnected: () => box.isConnected,
    milestoneIds: () => milestones.map((m) => m.id) });
  return box;
}
