// "Needs your update": the lead's home. Across the projects they lead, the milestones that are overdue,
// due within the look-ahead, or not updated for a while (GET /api/v1/me/needs-update, most urgent
// first), each editable in place.

import * as api from './api.js';
import { h, message, note, link } from './dom.js';
import { milestoneEditor } from './milestones.js';
import { myDrafts } from './unsaved.js';

function why(m) {
  const parts = [];
  if (m.reasons.includes('overdue')) parts.push(`overdue ${m.overdue_days} day${m.overdue_days === 1 ? '' : 's'}`);
  if (m.reasons.includes('due_soon')) parts.push(m.days_left === 0 ? 'due today' : `due in ${m.days_left} day${m.days_left === 1 ? '' : 's'}`);
  if (m.reasons.includes('stale')) parts.push(`not updated for ${m.days_untouched} days`);
  const text = parts.join(', ');
  return h('span', { class: m.reasons.includes('overdue') ? 'why overdue' : 'why' }, text.charAt(0).toUpperCase() + text.slice(1));
}

export async function needsUpdateView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'Needs your update'));
  const answer = await api.get('/me/needs-update');
  view.append(h('p', { class: 'muted', id: 'needs-rule' },
    `Milestones of the projects you lead that are overdue, due in the next ${answer.look_ahead_days} days, ` +
    `or not updated for ${answer.stale_days} days or more (as of ${answer.as_of}).`));
  // Unsaved changes kept for milestones this list does not show (they left it, or lie past its end).
  const shownIds = new Set(answer.items.map((m) => m.id));
  const elsewhere = myDrafts().filter(([id]) => !shownIds.has(id));
  if (elsewhere.length) {
    view.append(note('info', h('strong', null, 'You have unsaved changes on milestones not listed here: '),
      elsewhere.map(([id, d], i) => [i ? ', ' : '', link(`/projects/${d.project_id}`, d.title || `milestone ${id}`)]),
      '. Open the project to save or discard them.'));
  }
  if (!answer.items.length) {
    view.append(message('ok', 'Nothing needs your update: every milestone of your projects is up to date. ',
      link('/my-projects', 'See your projects'), '.'));
    return;
  }
  const projects = new Set(answer.items.map((m) => m.project_id)).size;
  view.append(h('p', { id: 'needs-count' }, `${answer.total} milestone${answer.total === 1 ? '' : 's'} in ${projects}${answer.items.length < answer.total ? ' or more' : ''} project${projects === 1 ? '' : 's'}.`,
    answer.items.length < answer.total ? ` The ${answer.items.length} most urgent are shown: update them and the next ones follow.` : ''));
  view.append(milestoneEditor(answer.items, {
    caption: 'Milestones that need your update',
    extra: [
      { header: 'Project and why', cell: (m) => [h('span', { class: 'nowrap' }, link(`/projects/${m.project_id}`, m.project_code)), h('br'), why(m)] },
    ],
  }));
}
