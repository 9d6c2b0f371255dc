// The projects list (paged by the server) and a project's page: status summary, milestones (edited in
// place by its lead), timeline and trend charts, contributions, missions, baselines and the audit trail.

import * as api from './api.js';
import { h, replace, field, select, table, paged, pager, message, link, euros, num, day, words, healthBadge, scrollRegion } from './dom.js';
import { choices, labelOf, wordsOf } from './meta.js';
import { session, referenceById, canEdit, canAudit } from './state.js';
import { milestoneTimeline, importSvg } from './charts.js';
import { declareHealthForm, contributionForm, missionLinkForm, baselineForm } from './lead.js';
import { milestoneEditor, slipText, serverSlips } from './milestones.js';

const PAGE = 50;
const ACTIONS = { create: 'created', update: 'changed', delete: 'deleted' };

export async function projectsView(view, { params }) {
  view.append(h('h1', { tabindex: '-1' }, 'Projects'));
  const q = field('Search (code or title)', h('input', { type: 'search', name: 'q', value: params.get('q') || '' }));
  const status = field('Status', select([['', 'any'], ...choices('project_status')],
    params.get('status') || '', { name: 'status' }));
  const form = h('form', { class: 'card filters', role: 'search' }, q.wrap, status.wrap,
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search')));
  const results = h('div', { class: 'results' });
  view.append(form, results);
  let offset = Number(params.get('offset')) || 0;

  async function load() {
    if (!view.isConnected) return;
    const query = api.query({ q: q.input.value.trim(), status: status.input.value, limit: PAGE, offset, sort: 'code' });
    history.replaceState(history.state, '', `#/projects${api.query({ q: q.input.value.trim(), status: status.input.value, offset: offset || '' })}`);
    try {
      const page = await api.get(`/projects${query}`);
      const pages = Math.max(1, Math.ceil(page.total / PAGE));
      replace(results,
        page.items.length
          ? table(`${page.total} project${page.total === 1 ? '' : 's'}`, ['Code', 'Title', 'Kind', 'Status', 'Visibility', 'Declared health'],
            page.items.map((p) => [{ value: link(`/projects/${p.id}`, p.code), class: 'nowrap' }, p.title, p.kind, wordsOf(p.status), p.visibility,
              p.declared_health ? healthBadge(p.declared_health) : '—']), { className: 'projects' })
          : h('p', { class: 'muted' }, 'No project matches.'),
        pager(Math.floor(offset / PAGE), pages, page.total, 'projects', (p) => {
          offset = p * PAGE;
          load();
        }));
    } catch (e) {
      replace(results, message('error', e.message));
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });
  status.input.addEventListener('change', () => {
    offset = 0;
    load();
  });
  await load();
}

function summaryCard(summary, project) {
  const facts = (pairs) => h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
  const c = summary.contributions;
  return h('section', { class: 'card', 'aria-labelledby': 'summary-title', id: 'summary' },
    h('h2', { id: 'summary-title' }, 'Status summary'),
    h('p', { class: 'summary-text' }, summary.text),
    h('div', { class: 'health-line' },
      healthBadge(summary.effective_health, 'Effective: '), ' ',
      healthBadge(summary.computed_health, 'Computed: '), ' ',
      healthBadge(summary.declared_health, 'Declared: ')),
    summary.declared_reason ? h('p', null, h('strong', null, 'Declared because: '), summary.declared_reason) : null,
    summary.health_reasons?.length
      ? h('div', null, h('h3', null, 'Why the computed health is what it is'), h('ul', { class: 'reasons' }, summary.health_reasons.map((r) => h('li', null, r))))
      : null,
    h('div', { class: 'progress-line' }, h('label', { for: 'project-progress' }, `Progress ${summary.progress}%`),
      h('progress', { id: 'project-progress', max: 100, value: summary.progress }, `${summary.progress}%`)),
    facts([
      ['Milestones', `${summary.milestones.done} of ${summary.milestones.total} done, ${summary.milestones.overdue} overdue`],
      ['Largest slip', `${summary.milestones.max_slip_days} days`],
      ['Next milestone', summary.next_milestone ? `${summary.next_milestone.title} (due ${summary.next_milestone.due})` : '—'],
      ['Pledged', euros(c.pledged_eur)],
      ['Committed', euros(c.committed_eur)],
      ['Delivered', euros(c.delivered_eur)],
      ['Person-months', num(c.person_months, 2)],
      ['Partners', `${c.partners}${Object.keys(c.by_framework || {}).length ? ` (${Object.entries(c.by_framework).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`],
      ['Budget', euros(project.budget_eur)],
      ['As of', summary.as_of],
    ]));
}

function contributionsTable(items, partners) {
  if (!items.length) return h('p', { class: 'muted' }, 'No contributions yet.');
  return paged(items, (page) => table(null, ['Partner', 'Role', 'Kind', 'State', 'Amount', 'Person-months', 'Description'],
    page.map((c) => {
      const p = partners.get(c.partner_id);
      return [p ? `${p.name} (${p.code})` : `partner ${c.partner_id}`, wordsOf(c.role), wordsOf(c.kind), wordsOf(c.state),
        { value: euros(c.amount_eur), class: 'num amount' }, { value: num(c.person_months, 2), class: 'num' }, c.description ?? '—'];
    }), { className: 'contributions' }), { label: 'contributions' });
}

function missionsTable(items, missions) {
  if (!items.length) return h('p', { class: 'muted' }, 'No mission linked.');
  return table(null, ['Mission', 'Relation', 'Note'], items.map((l) => {
    const m = missions.get(l.mission_id);
    return [m ? `${m.code} — ${m.name}` : `mission ${l.mission_id}`, wordsOf(l.relation), l.note ?? '—'];
  }), { className: 'mission-links' });
}

/** `slips`: the server's slip by milestone id (serverSlips). */
function milestoneReadOnly(milestones, slips) {
  return paged(milestones, (page) =>
    table(null, ['Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress', 'Slip (days)'],
      page.map((m) => [m.title, { value: day(m.baseline_date), class: 'nowrap' }, { value: day(m.forecast_date), class: 'nowrap' },
        { value: day(m.actual_date), class: 'nowrap' }, labelOf(m.status), { value: `${m.progress}%`, class: 'num' },
        { value: slipText(slips.get(m.id)), class: 'num' }]), { className: 'milestones', regionName: 'Milestones' }), { label: 'milestones' });
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

/** Loads a part of the page into `box`, showing the problem's detail there if it fails. */
async function fill(box, load) {
  try {
    replace(box, await load());
  } catch (e) {
    replace(box, message('error', e.message));
  }
}

function auditTrail(projectId) {
  const box = h('div');
  let offset = 0;
  const load = async () => {
    const page = await api.get(`/audit${api.query({ project: projectId, limit: PAGE, offset })}`);
    if (!page.items.length) return h('p', { class: 'muted' }, 'No changes recorded.');
    const changes = (c) => Object.entries(c || {}).filter(([k]) => !['version', 'updated_at', 'created_at'].includes(k))
      .map(([k, v]) => `${words(k)}: ${words(v?.old ?? '—')} → ${words(v?.new ?? '—')}`).join('; ');
    const who = (e) => e.user_name ?? (e.user_id === null ? 'captrack itself' : `user ${e.user_id}`);
    const what = (e) => `${labelOf(e.entity)}: ${e.entity_label ?? `number ${e.entity_id}`}`;
    return h('div', null,
      table(null, ['When (UTC)', 'Who', 'Did', 'What', 'Changes'], page.items.map((e) => [{ value: e.at.replace('T', ' ').replace('Z', ''), class: 'nowrap' },
        who(e), ACTIONS[e.action] || e.action, what(e), { value: changes(e.changes), class: 'changes' }]),
      { className: 'audit', regionName: 'Audit trail' }),
      pager(offset / PAGE, Math.max(1, Math.ceil(page.total / PAGE)), page.total, 'audit events', (p) => {
        offset = p * PAGE;
        fill(box, load);
      }));
  };
  fill(box, load);
  return box;
}

/** A project's page: its header, then its milestones first, summary, charts, contributions, missions, baselines, audit. */
export async function projectView(view, { args }) {
  const project = await projectOrNotFound(view, args[0]);
  if (!project) return;
  const editable = canEdit(project);
  const [partners, missions] = await Promise.all([referenceById('partners'), referenceById('missions')]);
  projectHeader(view, project);
  const boxes = projectBoxes();
  const load = projectLoaders(project, boxes, { editable, partners, missions });
  // Element.append would write null as the text "null": leave the sections this user does not get out.
  const sections = await projectSections(project, boxes, load, editable);
  view.append(...sections.filter(Boolean));
  await Promise.all([load.summary(), load.milestones(), load.trend(), load.contributions(), load.missions(), load.baselines()]);
}

/** The project `ref` names (GET /projects/{ref}); null after saying in `view` that there is none for this user. */
async function projectOrNotFound(view, ref) {
  try {
    return await api.get(`/projects/${encodeURIComponent(ref)}`);
  } catch (e) {
    if (e.status === 404) {
      replace(view, h('h1', { tabindex: '-1' }, 'Project not found'),
        message('error', 'Not found: there is no such project, or it is not shared with you.'),
        h('p', null, link('/projects', 'Back to the projects')));
      return null;
    }
    throw e;
  }
}

/** The page's header: the way back to the projects, the code and title, the facts line and the description. */
function projectHeader(view, project) {
  const title = h('h1', { tabindex: '-1' }, `${project.code} — ${project.title}`);
  const meta = h('p', { class: 'meta' },
    `${wordsOf(project.kind)} project · ${wordsOf(project.status)} · visibility ${project.visibility} · `,
    `area ${project.capability_area || '—'} · objectives ${(project.objectives || []).join(', ') || '—'} · `,
    `${day(project.start_date)} to ${day(project.end_date)} · `,
    project.lead_user_id === session.me.id ? 'you lead it' : project.lead_user_id ? `lead: user ${project.lead_user_id}` : 'no lead named');
  view.append(h('p', { class: 'crumbs' }, link(session.me.role === 'lead' ? '/my-projects' : '/projects', '← Projects')), title, meta);
  if (project.description) view.append(h('p', { class: 'description' }, project.description));
}

/** The boxes the page's parts are loaded into. */
function projectBoxes() {
  return {
    summary: h('div', { id: 'summary-box' }),
    timeline: h('div'),
    trend: scrollRegion(h('div', { class: 'trend-box' }), 'Milestone trend'),
    milestones: h('div', { id: 'milestones-box' }),
    contributions: h('div'),
    missions: h('div'),
    baselines: h('div'),
  };
}

/** One loader a part of the page, each (re)filling its box; saving a milestone reloads the timeline, summary and trend. */
function projectLoaders(project, boxes, { editable, partners, missions }) {
  const id = project.id;
  const load = {};
  load.summary = () => fill(boxes.summary, async () => summaryCard(await api.get(`/projects/${id}/summary`), project));
  load.trend = () => fill(boxes.trend, async () => importSvg(await api.get(`/projects/${id}/trend?format=svg`, { accept: 'text' })));
  // The timeline draws what the server says of each milestone (its due date and slip: the trend's JSON).
  load.timeline = () => fill(boxes.timeline, async () =>
    milestoneTimeline((await api.get(`/projects/${id}/trend`)).milestones, new Date().toISOString().slice(0, 10)));
  const onMilestoneSaved = () => {
    load.timeline();
    load.summary();
    load.trend();
  };
  load.milestones = () => fill(boxes.milestones, async () => {
    const [milestones] = await Promise.all([api.getAll(`/projects/${id}/milestones`), load.timeline()]);
    if (!milestones.length) return h('p', { class: 'muted' }, 'No milestones yet.');
    return editable ? milestoneEditor(milestones, { onSaved: onMilestoneSaved })
      : milestoneReadOnly(milestones, await serverSlips([id]));
  });
  load.contributions = () => fill(boxes.contributions, async () => contributionsTable(await api.getAll(`/projects/${id}/contributions`), partners));
  load.missions = () => fill(boxes.missions, async () => missionsTable(await api.getAll(`/projects/${id}/missions`), missions));
  load.baselines = () => fill(boxes.baselines, async () => {
    const list = await api.get(`/projects/${id}/baselines`);
    if (!list.items.length) return h('p', { class: 'muted' }, 'No named baseline yet.');
    return table(null, ['Name', 'Reason', 'Taken'], list.items.map((b) => [b.name, b.reason ?? '—', { value: (b.created_at || '').slice(0, 10), class: 'nowrap' }]));
  });
  return load;
}

/** The page's sections in order, with the lead's forms when `editable` and the audit trail for those who may see it; null where left out. */
async function projectSections(project, boxes, load, editable) {
  return [
    section('milestones', 'Milestones', boxes.milestones),
    boxes.summary,
    editable ? declareHealthForm(project, load.summary) : null,
    section('timeline', 'Milestone timeline', boxes.timeline),
    section('trend', 'Milestone trend', boxes.trend),
    section('contributions', 'Contributions', boxes.contributions, editable ? await contributionForm(project, () => { load.contributions(); load.summary(); }) : null),
    section('missions', 'Missions supported', boxes.missions, editable ? await missionLinkForm(project, () => { load.missions(); load.summary(); }) : null),
    section('baselines', 'Baselines', boxes.baselines, editable ? baselineForm(project, () => { load.baselines(); load.milestones(); load.summary(); load.trend(); }) : null),
    canAudit() ? section('audit', 'Audit trail', auditTrail(project.id)) : null,
  ];
}

