// Report snapshots (staff): the published snapshots with their downloads, publishing one (reviewers and
// admins) and what changed between two of them, or since one (GET /api/v1/reports/changes).

import * as api from './api.js';
import { h, replace, field, select, table, message, link, euros, num, healthBadge } from './dom.js';
import { session } from './state.js';
import { choices, wordsOf } from './meta.js';

const FORMATS = [['json', 'JSON'], ['csv', 'CSV'], ['md', 'Markdown'], ['html', 'HTML'], ['xlsx', 'Excel']];
const CHANGE_FORMATS = FORMATS.filter(([format]) => format !== 'xlsx');

/** The name a file of a snapshot is saved as: its name with anything but letters and digits as "-". */
const fileName = (name) => name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'snapshot';

async function save(status, apiPath, filename) {
  replace(status);
  try {
    await api.download(apiPath, filename);
    replace(status, message('ok', `${filename} was downloaded.`));
  } catch (e) {
    replace(status, message('error', e.message));
  }
}

function snapshotTable(snapshots, status) {
  if (!snapshots.length) return h('p', { class: 'muted', id: 'snapshot-list' }, 'No snapshot has been published yet.');
  const rows = snapshots.map((s) => [
    s.name,
    { value: s.as_of, class: 'nowrap' },
    wordsOf(s.group_by),
    { value: s.published_at.replace('T', ' ').replace('Z', ' UTC'), class: 'nowrap' },
    s.schedule_period ? 'schedule' : 'by hand',
    h('span', { class: 'downloads', role: 'group', 'aria-label': `Download ${s.name}` },
      FORMATS.map(([format, label]) => h('button', { type: 'button', class: 'download', on: { click: () =>
        save(status, `/reports/snapshots/${s.id}/portfolio?format=${format}`, `${fileName(s.name)}.${format}`) } },
      label))),
  ]);
  const wrap = table('Published snapshots', ['Name', 'As of', 'Grouped by', 'Published', 'How', 'Download'], rows);
  wrap.id = 'snapshot-list';
  return wrap;
}

/** Reviewers and admins: a name and a grouping, published from the live portfolio of today. */
function publishForm(onPublished) {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
  const groupBy = select(choices('report_group_by'), 'status', { name: 'group_by' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title' }, 'Publish the portfolio as a snapshot'),
    h('p', { class: 'muted' }, 'Every format of today\u2019s portfolio report is kept under this name, as it is now.'),
    field('Name', name, 'For instance "2027 Q1 review". One line, not only digits.').wrap,
    field('Grouped by', groupBy).wrap,
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Publish')),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(status);
    try {
      const published = await api.post('/reports/snapshots', { name: name.value, group_by: groupBy.value });
      replace(status, message('ok', `Published “${published.name}”.`));
      name.value = '';
      await onPublished();
    } catch (e) {
      replace(status, message('error', e.message));
    }
  });
  return form;
}

function sideBadges(change) {
  return h('span', { class: 'nowrap' }, healthBadge(change.from.effective), ' → ', healthBadge(change.to.effective));
}

function totalsTable(totals) {
  const figure = (label, pick, format = num) => [label, { value: format(pick(totals.before)), class: 'num' },
    { value: format(pick(totals.after)), class: 'num' }];
  return table('Totals', ['Figure', 'Before', 'After'], [
    figure('Projects', (t) => t.projects),
    ...['green', 'amber', 'red', 'none'].map((key) => figure(`Health: ${wordsOf(key)}`, (t) => t.health[key])),
    figure('Milestones', (t) => t.milestones.total),
    figure('Milestones done', (t) => t.milestones.done),
    figure('Milestones overdue', (t) => t.milestones.overdue),
    figure('Budget', (t) => t.budget_eur, euros),
    figure('Pledged', (t) => t.contributions.pledged_eur, euros),
    figure('Committed', (t) => t.contributions.committed_eur, euros),
    figure('Delivered', (t) => t.contributions.delivered_eur, euros),
  ]);
}

function section(id, title, list, headers, row) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, `${title} (${list.length})`),
    list.length ? table(null, headers, list.map(row)) : h('p', { class: 'muted' }, 'No changes.'));
}

function changeSections(changes) {
  return [
    h('p', { class: 'muted', id: 'changes-summary' },
      `From “${changes.from.snapshot}” (${changes.from.as_of}) to ${changes.to.snapshot === 'now' ? 'now' : `“${changes.to.snapshot}”`} (${changes.to.as_of}).`),
    h('section', { class: 'card' }, totalsTable(changes.totals)),
    section('changed-health', 'Health', changes.health, ['Project', 'Title', 'Health', 'Reasons now'], (c) => [
      link(`/projects/${c.project_id}`, c.project_code), c.title, sideBadges(c), c.to.reasons.join('; ')]),
    section('changed-projects', 'Projects', changes.projects, ['Project', 'Title', 'Change', 'From', 'To'], (c) => [
      link(`/projects/${c.project_id}`, c.project_code), c.title, wordsOf(c.change), c.from ?? '', c.to ?? '']),
    section('changed-milestones', 'Milestones', changes.milestones,
      ['Project', 'Milestone', 'Change', 'Due before', 'Due after', 'Days'], (c) => [
        link(`/projects/${c.project_id}`, c.project_code), c.title, wordsOf(c.change), c.due_before ?? '',
        c.due_after ?? '', { value: c.days ? num(c.days) : '', class: 'num' }]),
    section('changed-contributions', 'Contributions', changes.contributions,
      ['Project', 'Partner', 'Change', 'State before', 'State after', 'Amount before', 'Amount after'], (c) => [
        c.project_code, c.partner_code, wordsOf(c.change), c.state_before ? wordsOf(c.state_before) : '',
        c.state_after ? wordsOf(c.state_after) : '', { value: euros(c.amount_eur_before), class: 'num' },
        { value: euros(c.amount_eur_after), class: 'num' }]),
  ];
}

/** "Compare": from one snapshot to another or to now, the changes drawn below, and their downloads. */
function compareForm(snapshots) {
  const options = snapshots.map((s) => [String(s.id), `${s.name} (${s.as_of})`]);
  const from = select(options, options.length > 1 ? options[1][0] : options[0]?.[0], { name: 'from' });
  const to = select([['now', 'Now (the live portfolio)'], ...options], options.length > 1 ? options[0][0] : 'now', { name: 'to' });
  const results = h('div', { class: 'results', 'aria-live': 'polite', id: 'changes' });
  const status = h('div', { class: 'form-status' });
  const query = (format) => `/reports/changes${api.query({ from: from.value, to: to.value, format })}`;
  const downloads = h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download the changes' },
    h('span', null, 'Download: '),
    CHANGE_FORMATS.map(([format, label]) => h('button', { type: 'button', class: 'download', on: { click: () =>
      save(status, query(format), `captrack-changes.${format}`) } }, label)));
  const form = h('form', { class: 'card filters', 'aria-labelledby': 'compare-title' },
    h('h2', { id: 'compare-title' }, 'What changed'),
    field('From', from).wrap, field('To', to).wrap,
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Compare')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    results.setAttribute('aria-busy', 'true');
    try {
      replace(results, ...changeSections(await api.get(query())));
    } catch (e) {
      replace(results, message('error', e.message));
    } finally {
      results.removeAttribute('aria-busy');
    }
  });
  return [form, downloads, status, results];
}

/** The snapshots page: the list and its downloads, publishing (reviewers, admins), comparing. */
export async function snapshotsView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'Snapshots'));
  const status = h('div', { class: 'form-status' });
  const listBox = h('div', { class: 'card' });
  const compareBox = h('div');
  const draw = async () => {
    const { items } = await api.get('/reports/snapshots?limit=500');
    replace(listBox, snapshotTable(items, status));
    replace(compareBox, ...(items.length ? compareForm(items) : []));
  };
  if (['reviewer', 'admin'].includes(session.me.role)) view.append(publishForm(draw));
  view.append(listBox, status, compareBox);
  await draw();
}
