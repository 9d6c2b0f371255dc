// Edits typed into the page but not saved yet: the editors register here, and leaving the page (another
// route, a reload, closing the tab, signing out) asks first while any edit is unsaved.

const editors = new Set();

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

/** True when nothing is unsaved, or the user agrees to leave it. */
export function mayLeave() {
  const count = unsavedCount();
  if (!count) return true;
  // eslint-disable-next-line no-alert -- the browser's own dialog: modal, keyboard-friendly, announced
  return window.confirm(
    `${count} milestone${count === 1 ? ' has' : 's have'} unsaved changes. Leave this page and lose them?`
  );
}

/** Forgets every editor (the page they were on is gone, its edits left knowingly). */
export function forgetEdits() {
  editors.clear();
}

window.addEventListener('beforeunload', (event) => {
  if (unsavedCount()) {
    event.preventDefault();
    event.returnValue = '';
  }
});
