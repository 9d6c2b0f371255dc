// What a lead does on a project besides its milestones (milestones.js): declare health, add
// contributions and mission links, take a baseline; and the lead's "My projects" list.

import * as api from './api.js';
import { h, replace, field, select, table, paged, message, link, euros, day, healthBadge } from './dom.js';
import { names, choices, labelOf, wordsOf } from './meta.js';
import { session, reference } from './state.js';
import { clearErrors, showProblem, valueOf } from './forms.js';
import { trackForm } from './unsaved.js';

/** Declare health with a reason (PATCH the project). `project` is kept current; onSaved(project). */
export function declareHealthForm(project, onSaved) {
  const fields = {
    declared_health: field('Declared health', select([['', 'none (use computed)'], ...choices('health', wordsOf)],
      project.declared_health || '', { name: 'declared_health' })),
    declared_reason: field('Reason', h('textarea', { name: 'declared_reason', rows: 2, maxlength: 1000 }),
      'Say why, in a sentence a reviewer will understand.'),
  };
  fields.declared_reason.input.value = project.declared_reason || '';
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Declare health');
  const form = h('form', { class: 'card form-grid', id: 'declare-health' }, h('h3', null, 'Declare health'),
    fields.declared_health.wrap, fields.declared_reason.wrap, h('div', { class: 'actions' }, button), status);
  const markSent = trackForm(form, `declare-health-${project.id}`);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, status);
    button.disabled = true;
    try {
      const saved = await api.patch(`/projects/${project.id}`, {
        declared_health: valueOf(fields.declared_health.input),
        declared_reason: valueOf(fields.declared_reason.input),
      }, project.version);
      Object.assign(project, saved);
      markSent();
      replace(status, message('ok', `Health declared: ${saved.declared_health || 'none'}.`));
      onSaved(saved);
    } catch (e) {
      if (e.status === 412) {
        replace(status, message('error', 'Someone else changed this project; reload the page to see their change, then declare again.',
          ' ', h('button', { type: 'button', on: { click: () => location.reload() } }, 'Reload')));
      } else {
        showProblem(e, fields, status);
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** Runs a create form: POST `path` with `body()`, field errors beside fields, then onCreated(record). */
function createForm({ id, title, fields, submitLabel, path, body, onCreated, done }) {
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', { class: 'card form-grid', id }, h('h3', null, title),
    Object.values(fields).map((f) => f.wrap), h('div', { class: 'actions' }, button), status);
  const markSent = trackForm(form, `${id}-${path}`);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, status);
    button.disabled = true;
    try {
      // Leave out what the user left empty, so the server says "is required" where it is.
      const values = Object.fromEntries(Object.entries(body()).filter(([, v]) => v !== null));
      const created = await api.post(path, values);
      form.reset();
      markSent();
      replace(status, message('ok', done(created)));
      onCreated(created);
    } catch (e) {
      showProblem(e, fields, status);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** Add a contribution: partner picker (every partner), role, kind, state, amount, person-months. */
export async function contributionForm(project, onCreated) {
  const partners = [...(await reference('partners'))].sort((a, b) => a.name.localeCompare(b.name));
  const fields = {
    partner_id: field('Partner', select([['', 'choose a partner…'], ...partners.map((p) => [p.id, `${p.name} (${p.code}, ${p.framework})`])], '', { name: 'partner_id' })),
    role: field('Role', select(choices('contribution_role'), 'contributor', { name: 'role' })),
    kind: field('Kind', select(choices('contribution_kind'), 'funding', { name: 'kind' })),
    state: field('State', select(names('contribution_state'), 'pledged', { name: 'state' })),
    amount_eur: field('Amount (€)', h('input', { type: 'number', name: 'amount_eur', min: 0, step: 1, inputmode: 'numeric' })),
    person_months: field('Person-months', h('input', { type: 'number', name: 'person_months', min: 0, step: 0.25, inputmode: 'decimal' })),
    description: field('Description', h('input', { name: 'description', maxlength: 2000 })),
  };
  return createForm({
    id: 'add-contribution', title: 'Add a contribution', fields, submitLabel: 'Add contribution',
    path: `/projects/${project.id}/contributions`,
    body: () => {
      const b = { partner_id: valueOf(fields.partner_id.input, 'number'), role: fields.role.input.value,
        kind: fields.kind.input.value, state: fields.state.input.value };
      for (const [k, kind] of [['amount_eur', 'number'], ['person_months', 'number'], ['description', 'text']]) {
        const v = valueOf(fields[k].input, kind);
        if (v !== null) b[k] = v;
      }
      return b;
    },
    onCreated,
    done: (c) => `Contribution added (${euros(c.amount_eur)}).`,
  });
}

/** Link a mission to the project. */
export async function missionLinkForm(project, onCreated) {
  const missions = await reference('missions');
  const fields = {
    mission_id: field('Mission', select([['', 'choose a mission…'], ...missions.map((m) => [m.id, `${m.code} — ${m.name}`])], '', { name: 'mission_id' })),
    relation: field('Relation', select(choices('mission_relation'), 'direct_support', { name: 'relation' })),
    note: field('Note', h('input', { name: 'note', maxlength: 2000 })),
  };
  return createForm({
    id: 'add-mission', title: 'Link a mission', fields, submitLabel: 'Link mission',
    path: `/projects/${project.id}/missions`,
    body: () => {
      const b = { mission_id: valueOf(fields.mission_id.input, 'number'), relation: fields.relation.input.value };
      const note = valueOf(fields.note.input);
      if (note !== null) b.note = note;
      return b;
    },
    onCreated,
    done: () => 'Mission linked.',
  });
}

/** Take a named baseline (copies every forecast into the baseline dates). */
export function baselineForm(project, onCreated) {
  const fields = {
    name: field('Baseline name', h('input', { name: 'name', maxlength: 200 }), 'For example "Re-plan 1".'),
    reason: field('Reason', h('input', { name: 'reason', maxlength: 1000 })),
  };
  return createForm({
    id: 'take-baseline', title: 'Take a baseline', fields, submitLabel: 'Take baseline',
    path: `/projects/${project.id}/baselines`,
    body: () => ({ name: valueOf(fields.name.input), reason: valueOf(fields.reason.input) }),
    onCreated,
    done: (b) => `Baseline "${b.name}" taken: the current forecasts are now the baseline dates.`,
  });
}

/** "My projects": the projects the signed-in lead runs, with what needs their update in each. */
export async function myProjectsView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'My projects'));
  const [all, needs] = await Promise.all([api.getAll('/projects'), api.get('/me/needs-update')]);
  const mine = all.filter((p) => p.lead_user_id === session.me.id);
  if (!mine.length) {
    view.append(message('info', 'You lead no project yet. ', link('/projects', 'See all projects'), '.'));
    return;
  }
  const count = (projectId, reason) => needs.items.filter((m) => m.project_id === projectId && m.reasons.includes(reason)).length;
  view.append(h('p', { class: 'muted' }, `You lead ${mine.length} project${mine.length === 1 ? '' : 's'}. `,
    needs.total ? link('/needs-update', `${needs.total} milestone${needs.total === 1 ? ' needs' : 's need'} your update`) : 'Every milestone is up to date',
    '.'));
  view.append(paged(mine, (page) => table(null, ['Code', 'Title', 'Status', 'Overdue', `Due in ${needs.look_ahead_days} days`, 'Declared health', 'End'],
    page.map((p) => {
      const overdue = count(p.id, 'overdue');
      return [{ value: link(`/projects/${p.id}`, p.code), class: 'nowrap' }, link(`/projects/${p.id}`, p.title), labelOf(p.status),
        { value: String(overdue), class: overdue ? 'num bad' : 'num' }, { value: String(count(p.id, 'due_soon')), class: 'num' },
        p.declared_health ? healthBadge(p.declared_health) : '—', { value: day(p.end_date), class: 'nowrap' }];
    }), { className: 'my-projects', regionName: 'My projects' }), { label: 'projects' }));
}
