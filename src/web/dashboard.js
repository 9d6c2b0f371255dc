// The portfolio dashboard (reviewers, admins, leads): health chart, filters and grouping over
// GET /api/v1/reports/portfolio, the rows, the overdue and due-soon lists, and downloads of every format.

import * as api from './api.js';
import { h, replace, field, select, table, paged, message, link, euros, num, words } from './dom.js';
import { reference } from './state.js';
import { healthChart } from './charts.js';
import { names, choices, labelOf, wordsOf } from './meta.js';

/** The healths the server knows, then "none" (no health): the keys of a row's `health` counts. */
const healthKeys = () => [...names('health'), 'none'];
const FILTERS = ['kind', 'status', 'framework', 'partner', 'capability_area', 'objective', 'mission', 'health'];
const FORMATS = [
  ['json', 'JSON'],
  ['csv', 'CSV'],
  ['md', 'Markdown'],
  ['html', 'HTML'],
  ['xlsx', 'Excel'],
];

async function filterOptions() {
  const [partners, missions, areas, objectives] = await Promise.all([
    reference('partners'),
    reference('missions'),
    reference('capability-areas'),
    reference('objectives'),
  ]);
  const coded = (items) => items.map((i) => [i.code, `${i.code} — ${i.name}`]);
  return {
    kind: names('project_kind'),
    status: choices('project_status'),
    framework: choices('framework'),
    partner: coded(partners),
    capability_area: coded(areas),
    objective: coded(objectives),
    mission: coded(missions),
    health: healthKeys().map((key) => [key, wordsOf(key)]),
  };
}

function rowCells(row) {
  return [
    { value: num(row.projects), class: 'num' },
    ...healthKeys().map((key) => ({ value: num(row.health[key]), class: 'num' })),
    { value: `${num(row.milestones.done)} / ${num(row.milestones.total)}`, class: 'num' },
    { value: num(row.milestones.overdue), class: ['num', row.milestones.overdue ? 'bad' : ''].join(' ') },
    { value: euros(row.budget_eur), class: 'num' },
    ...names('contribution_state').map((state) => ({ value: euros(row.contributions[`${state}_eur`]), class: 'num' })),
    { value: num(row.contributions.person_months, 2), class: 'num' },
  ];
}

const rowHeaders = () => ['Projects', ...healthKeys().map(labelOf), 'Milestones done', 'Overdue', 'Budget',
  ...names('contribution_state').map(labelOf), 'Person-months'];

function groupTable(report) {
  const heading = wordsOf(report.group_by);
  const body = paged(
    report.rows,
    (rows) =>
      table(
        `Projects by ${heading}`,
        [heading[0].toUpperCase() + heading.slice(1), ...rowHeaders()],
        rows.map((row) => [row.key === null ? '(none)' : `${row.label}${row.label !== row.key ? ` (${row.key})` : ''}`, ...rowCells(row)]),
        { footer: [{ value: 'Total (each project once)', class: 'total' }, ...rowCells(report.totals)], className: 'report-rows' }
      ),
    { label: 'rows' }
  );
  body.id = 'report-rows';
  return body;
}

function milestoneList(title, items, total, dayKey, dayLabel) {
  const section = h('section', { class: 'card', 'aria-labelledby': `${dayKey}-title` }, h('h2', { id: `${dayKey}-title` }, `${title} (${total})`));
  if (!items.length) {
    section.append(h('p', { class: 'muted' }, 'None.'));
    return section;
  }
  section.append(
    paged(
      items,
      (page) =>
        table(
          null,
          ['Project', 'Milestone', 'Due', dayLabel],
          page.map((m) => [{ value: link(`/projects/${m.project_id}`, m.project_code), class: 'nowrap' }, m.title, { value: m.due, class: 'nowrap' }, { value: num(m[dayKey]), class: 'num' }])
        ),
      { label: 'milestones' }
    )
  );
  if (total > items.length) section.append(h('p', { class: 'muted' }, `Showing the first ${items.length}.`));
  return section;
}

/** Reads the filters from the route's query (#/portfolio?group_by=partner&status=implementation). */
function stateFrom(params) {
  const state = { group_by: params.get('group_by') || 'status' };
  for (const name of FILTERS) state[name] = params.get(name) || '';
  return state;
}

/** The filter form: "Group by", one select a filter (from the route's `state`) and "Clear filters", which calls `onClear`. */
function filterControls(state, options, onClear) {
  const controls = h('form', { class: 'card filters', 'aria-label': 'Report filters' });
  const groupSelect = select(choices('report_group_by'), state.group_by, { name: 'group_by' });
  controls.append(field('Group by', groupSelect).wrap);
  const selects = {};
  for (const name of FILTERS) {
    const opts = options[name].map((o) => (Array.isArray(o) ? o : [o, o]));
    selects[name] = select([['', 'any'], ...opts], state[name], { name });
    controls.append(field(words(name)[0].toUpperCase() + words(name).slice(1), selects[name]).wrap);
  }
  const reset = h('button', { type: 'button', on: { click: () => {
    for (const name of FILTERS) selects[name].value = '';
    groupSelect.value = 'status';
    onClear();
  } } }, 'Clear filters');
  controls.append(h('div', { class: 'field actions' }, reset));
  return { controls, groupSelect, selects };
}

/** The query the filter form says (group_by and every filter), with `extra` on top. */
function reportQuery({ groupSelect, selects }, extra = {}) {
  const q = { group_by: groupSelect.value };
  for (const name of FILTERS) q[name] = selects[name].value;
  return api.query({ ...q, ...extra });
}

/** The "Download" group: one button a format, each calling saveAs(format). */
function downloadButtons(saveAs) {
  return h(
    'div',
    { class: 'downloads', role: 'group', 'aria-label': 'Download the report' },
    h('span', null, 'Download: '),
    FORMATS.map(([format, label]) =>
      h('button', { type: 'button', class: 'download', dataset: { format }, on: { click: () => saveAs(format) } }, label)
    )
  );
}

/** Downloads the report in `format` for the query `queryOf({format})` gives, saying in `status` how it went. */
async function saveAs(status, format, queryOf) {
  replace(status);
  try {
    await api.download(`/reports/portfolio${queryOf({ format })}`, `captrack-portfolio.${format}`);
    replace(status, message('ok', `The ${format.toUpperCase()} report was downloaded.`));
  } catch (e) {
    replace(status, message('error', e.message));
  }
}

/** What the dashboard shows of a report: the summary line, health and totals, the rows, overdue and due soon. */
function reportSections(report) {
  return [
    h('p', { class: 'muted', id: 'report-summary' },
      `As of ${report.as_of}: ${report.totals.projects} projects, ${report.totals.milestones.overdue} overdue milestones.`),
    h('div', { class: 'grid-2' }, h('section', { class: 'card' }, h('h2', null, 'Health'), healthChart(report.totals.health)),
      h('section', { class: 'card' }, h('h2', null, 'Totals'), totalsList(report.totals))),
    h('section', { class: 'card' }, h('h2', null, `By ${wordsOf(report.group_by)}`),
      report.rows.length ? groupTable(report) : h('p', { class: 'muted', id: 'report-rows' }, 'No project matches these filters.')),
    h('div', { class: 'grid-2' },
      milestoneList('Overdue milestones', report.overdue, report.overdue_total ?? report.overdue.length, 'overdue_days', 'Days overdue'),
      milestoneList(`Due in the next ${report.look_ahead_days ?? 90} days`, report.due_soon, report.due_soon_total ?? report.due_soon.length, 'days_left', 'Days left')),
  ];
}

/**
 * The dashboard's reload: writes the query `queryOf()` gives in the address, asks for that report and
 * draws it in `results`; an answer that is no longer the latest, or comes after the view was left, is dropped.
 */
function reloader(view, status, results, queryOf) {
  let loads = 0;
  return async function reload() {
    const mine = ++loads;
    // Left already (another page is drawn): its address must not be written over with this one's.
    if (!view.isConnected) return;
    const q = queryOf();
    history.replaceState(history.state, '', `#/portfolio${q}`);
    replace(status);
    results.setAttribute('aria-busy', 'true');
    try {
      const report = await api.get(`/reports/portfolio${q}${q ? '&' : '?'}list_limit=500`);
      if (mine !== loads || !view.isConnected) return;
      replace(results, ...reportSections(report));
    } catch (e) {
      if (mine === loads) replace(results, message('error', e.message));
    } finally {
      if (mine === loads) results.removeAttribute('aria-busy');
    }
  };
}

/** The portfolio dashboard: the filters (from the route's query), downloads, and the report they select. */
export async function dashboardView(view, { params }) {
  const state = stateFrom(params);
  view.append(h('h1', { tabindex: '-1' }, 'Portfolio'));
  const status = h('div', { class: 'form-status' });
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const options = await filterOptions();
  const filters = filterControls(state, options, () => reload());
  const currentQuery = (extra = {}) => reportQuery(filters, extra);
  const downloads = downloadButtons((format) => saveAs(status, format, currentQuery));
  view.append(filters.controls, downloads, status, results);
  const reload = reloader(view, status, results, currentQuery);
  filters.controls.addEventListener('change', reload);
  filters.controls.addEventListener('submit', (event) => event.preventDefault());
  await reload();
}

function totalsList(t) {
  const item = (label, value) => [h('dt', null, label), h('dd', null, value)];
  return h(
    'dl',
    { class: 'facts' },
    item('Projects', num(t.projects)),
    item('Milestones done', `${num(t.milestones.done)} of ${num(t.milestones.total)}`),
    item('Overdue milestones', num(t.milestones.overdue)),
    item('Budget', euros(t.budget_eur)),
    item('Pledged', euros(t.contributions.pledged_eur)),
    item('Committed', euros(t.contributions.committed_eur)),
    item('Delivered', euros(t.contributions.delivered_eur)),
    item('Person-months', num(t.contributions.person_months, 2))
  );
}
