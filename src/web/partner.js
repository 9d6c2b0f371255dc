// A partner's home: "Our contributions" — every contribution of the partner grouped by project, totals
// by state and by kind, and the projects the partner may see. Amounts the API leaves out (null) are
// shown as "—", never as a number.

import * as api from './api.js';
import { h, replace, table, paged, message, link, euros, num } from './dom.js';
import { wordsOf } from './meta.js';
import { session, referenceById } from './state.js';

function totalsBy(items, key) {
  const totals = new Map();
  for (const c of items) {
    const k = c[key] ?? '(not shown)';
    const t = totals.get(k) || { count: 0, amount: null, months: null };
    t.count += 1;
    if (c.amount_eur !== null && c.amount_eur !== undefined) t.amount = (t.amount ?? 0) + c.amount_eur;
    if (c.person_months !== null && c.person_months !== undefined) t.months = (t.months ?? 0) + c.person_months;
    totals.set(k, t);
  }
  return [...totals.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
}

function totalsTable(caption, label, rows, id) {
  const sum = rows.reduce((acc, [, t]) => ({
    count: acc.count + t.count,
    amount: t.amount === null ? acc.amount : (acc.amount ?? 0) + t.amount,
    months: t.months === null ? acc.months : (acc.months ?? 0) + t.months,
  }), { count: 0, amount: null, months: null });
  return h('div', { id }, table(caption, [label, 'Contributions', 'Amount', 'Person-months'],
    rows.map(([k, t]) => [wordsOf(k), { value: num(t.count), class: 'num' }, { value: euros(t.amount), class: 'num' }, { value: num(t.months, 2), class: 'num' }]),
    { footer: [{ value: 'Total', class: 'total' }, { value: num(sum.count), class: 'num' }, { value: euros(sum.amount), class: 'num' }, { value: num(sum.months, 2), class: 'num' }] }));
}

/** Downloads the partner's contributions as a workbook (the API's most per page: 500). */
async function saveWorkbook(partnerId, status) {
  replace(status);
  try {
    await api.download(`/partners/${partnerId}/contributions?format=xlsx&limit=500`, 'captrack-contributions.xlsx');
    replace(status, message('ok', 'The Excel workbook was downloaded.'));
  } catch (e) {
    replace(status, message('error', e.message));
  }
}

export async function contributionsView(view) {
  const me = session.me;
  view.append(h('h1', { tabindex: '-1' }, 'Our contributions'));
  if (!me.partner_id) {
    view.append(message('error', 'Your account is not linked to a partner; ask your captrack administrator.'));
    return;
  }
  const [partners, contributions, projects] = await Promise.all([
    referenceById('partners'),
    api.getAll(`/partners/${me.partner_id}/contributions`),
    api.getAll('/projects'),
  ]);
  const us = partners.get(me.partner_id);
  view.append(h('p', { class: 'lead-text' }, `${us ? `${us.name} (${us.code}, ${us.framework})` : `Partner ${me.partner_id}`}: ` +
    `${contributions.length} contribution${contributions.length === 1 ? '' : 's'} to ${new Set(contributions.map((c) => c.project_id)).size} project(s).`));
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const status = h('div', { class: 'form-status' });
  view.append(h('p', null, h('button', { type: 'button', class: 'download', on: { click: () => saveWorkbook(me.partner_id, status) } },
    'Download as Excel')), status);

  view.append(h('div', { class: 'grid-2' },
    h('section', { class: 'card' }, h('h2', null, 'Totals by state'), totalsTable(null, 'State', totalsBy(contributions, 'state'), 'totals-by-state')),
    h('section', { class: 'card' }, h('h2', null, 'Totals by kind'), totalsTable(null, 'Kind', totalsBy(contributions, 'kind'), 'totals-by-kind'))));

  const byProject = new Map();
  for (const c of contributions) {
    if (!byProject.has(c.project_id)) byProject.set(c.project_id, []);
    byProject.get(c.project_id).push(c);
  }
  const groups = [...byProject.entries()].sort(([a], [b]) => (projectById.get(a)?.code || '').localeCompare(projectById.get(b)?.code || ''));
  const list = h('section', { class: 'card', id: 'our-contributions' }, h('h2', null, 'By project'));
  if (!groups.length) list.append(h('p', { class: 'muted' }, 'No contribution recorded for your organisation.'));
  else {
    list.append(paged(groups, (page) => h('div', null, page.map(([projectId, items]) => {
      const p = projectById.get(projectId);
      return h('div', { class: 'group', dataset: { project: projectId } },
        h('h3', null, p ? link(`/projects/${projectId}`, `${p.code} — ${p.title}`) : `Project ${projectId}`),
        table(null, ['Role', 'Kind', 'State', 'Amount', 'Person-months', 'Description'], items.map((c) => [wordsOf(c.role), wordsOf(c.kind), wordsOf(c.state),
          { value: euros(c.amount_eur), class: 'num amount' }, { value: num(c.person_months, 2), class: 'num' }, c.description ?? '—'])));
    })), { pageSize: 20, label: 'projects' }));
  }
  view.append(list);

  view.append(h('section', { class: 'card', id: 'visible-projects' }, h('h2', null, `Projects shared with you (${projects.length})`),
    paged(projects, (page) => table(null, ['Code', 'Title', 'Status', 'Visibility', 'Yours'],
      page.map((p) => [{ value: link(`/projects/${p.id}`, p.code), class: 'nowrap' }, p.title, wordsOf(p.status), p.visibility, byProject.has(p.id) ? 'contributing' : '—'])), { label: 'projects' })));
}
