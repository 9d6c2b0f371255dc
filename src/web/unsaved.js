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
  if (leave) dropDrafts();
  return leave;
}

/** Registers a form: it counts as unsaved while any of its fields differs from what it held when it was
 * drawn or last sent (call the returned function after a successful send). */
export function trackForm(form) {
  const values = () => JSON.stringify([...form.elements].filter((el) => el.name).map((el) => [el.name, el.value]));
  let sent = values();
  editors.add({ kind: 'form', unsaved: () => (values() === sent ? 0 : 1), isConnected: () => form.isConnected });
  return () => {
    sent = values();
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

/** Keeps (changes non-empty) or drops (empty) the draft of a milestone. */
export function keepDraft(milestoneId, version, changes) {
  const drafts = allDrafts();
  if (Object.keys(changes).length) drafts[milestoneId] = { user: session.me?.id, version, changes };
  else delete drafts[milestoneId];
  sessionStorage.setItem(DRAFTS, JSON.stringify(drafts));
}

export function dropDrafts() {
  sessionStorage.removeItem(DRAFTS);
}

window.addEventListener('beforeunload', (event) => {
  if (unsavedCount()) {
    event.preventDefault();
    event.returnValue = '';
  }
});
