// Edits typed into the page but not saved yet. The editors register here; leaving the page (another
// route, Back, a reload, closing the tab, signing out) asks first while any edit is unsaved. Each
// edited row is also kept as a draft in sessionStorage (its milestone, the version it applies to, the
// changed fields), so that an expired session, a reload or a redrawn table gives it back.

import { session } from './state.js';

const editors = new Set();
const DRAFTS = 'captrack.drafts';

/** Registers an editor: an object with `unsaved()` (how many of its rows hold unsaved edits) and
 * `isConnected()` (whether it is still on the page). */
export function trackEdits(editor) {
  editors.add(editor);
}

/** How many rows on the page hold unsaved edits. */
export function unsavedCount() {
  let count = 0;
  for (const editor of [...editors]) {
    if (!editor.isConnected()) editors.delete(editor);
    else count += editor.unsaved();
  }
  return count;
}

/** True when nothing is unsaved, or the user agrees to leave it (then the drafts are dropped). */
export function mayLeave() {
  const count = unsavedCount();
  if (!count) return true;
  const forms = [...editors].filter((e) => e.kind === 'form' && e.unsaved()).length;
  const rows = count - forms;
  const what = [rows ? `${rows} milestone${rows === 1 ? ' has' : 's have'} unsaved changes` : '',
    forms ? `${forms} form${forms === 1 ? ' is' : 's are'} filled in but not sent` : ''].filter(Boolean).join(', and ');
  // eslint-disable-next-line no-alert -- the browser's own dialog: modal, keyboard-friendly, announced
  const leave = window.confirm(`${what}. Leave this page and lose them?`);
  // Only what was on this page is given up; drafts of other pages stay (they are listed on the lead's home).
  if (leave) {
    const shown = [...editors].filter((e) => e.isConnected());
    dropDrafts(shown.flatMap((e) => (e.milestoneIds ? e.milestoneIds() : [])), shown.flatMap((e) => (e.formKey ? [e.formKey] : [])));
  }
  return leave;
}

/** Registers a form: it counts as unsaved while any of its fields differs from what it held when it was
 * drawn or last sent (call the returned function after a successful send). */
export function trackForm(form, key) {
  const fields = () => [...form.elements].filter((el) => el.name);
  const values = () => JSON.stringify(fields().map((el) => [el.name, el.value]));
  let sent = values();
  // What was typed before an expired session or a reload comes back.
  const kept = allFormDrafts()[key];
  if (kept && kept.user === session.me?.id) {
    for (const [name, value] of kept.values) {
      const el = form.elements.namedItem(name);
      if (el && 'value' in el) el.value = value;
    }
  }
  const remember = () => {
    const drafts = allFormDrafts();
    if (values() === sent) delete drafts[key];
    else drafts[key] = { user: session.me?.id, values: fields().map((el) => [el.name, el.value]) };
    sessionStorage.setItem(FORM_DRAFTS, JSON.stringify(drafts));
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  editors.add({ kind: 'form', formKey: key, unsaved: () => (values() === sent ? 0 : 1), isConnected: () => form.isConnected });
  return () => {
    sent = values();
    remember();
  };
}

/** Forgets every editor (the page they were on is gone). */
export function forgetEdits() {
  editors.clear();
}

function allDrafts() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFTS) || '{}');
  } catch {
    return {};
  }
}

/** The draft of a milestone for the signed-in user: {version, changes}, or null. */
export function draftOf(milestoneId) {
  const draft = allDrafts()[milestoneId];
  return draft && draft.user === session.me?.id ? draft : null;
}

/** Keeps (draft.changes non-empty) or drops (empty) the draft of a milestone: {version, base,
 * changes, project_id, title}. */
export function keepDraft(milestoneId, draft) {
  const drafts = allDrafts();
  if (Object.keys(draft.changes).length) drafts[milestoneId] = { user: session.me?.id, ...draft };
  else delete drafts[milestoneId];
  sessionStorage.setItem(DRAFTS, JSON.stringify(drafts));
}

/** The signed-in user's drafts, as [milestoneId, draft]. */
export function myDrafts() {
  return Object.entries(allDrafts()).filter(([, d]) => d.user === session.me?.id).map(([id, d]) => [Number(id), d]);
}

/** Drops every draft (signing out), or those of the given milestones and forms. */
export function dropDrafts(milestoneIds = null, formKeys = null) {
  if (milestoneIds === null && formKeys === null) {
    sessionStorage.removeItem(DRAFTS);
    sessionStorage.removeItem(FORM_DRAFTS);
    return;
  }
  const drafts = allDrafts();
  for (const id of milestoneIds || []) delete drafts[id];
  sessionStorage.setItem(DRAFTS, JSON.stringify(drafts));
  const forms = allFormDrafts();
  for (const key of formKeys || []) delete forms[key];
  sessionStorage.setItem(FORM_DRAFTS, JSON.stringify(forms));
}

const FORM_DRAFTS = 'captrack.formDrafts';
function allFormDrafts() {
  try {
    return JSON.parse(sessionStorage.getItem(FORM_DRAFTS) || '{}');
  } catch {
    return {};
  }
}

window.addEventListener('beforeunload', (event) => {
  if (unsavedCount()) {
    event.preventDefault();
    event.returnValue = '';
  }
});
