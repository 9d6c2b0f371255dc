// What a lead does on a project: edit milestones in place (PATCH with If-Match), declare health, add
// contributions and mission links, take a baseline; and the lead's "My projects" list.

import * as api from './api.js';
import { h, replace, field, select, table, paged, message, link, euros, day, words, healthBadge, uid } from './dom.js';
import { session, reference } from './state.js';
import { clearErrors, showProblem, valueOf } from './forms.js';

const STATUSES = ['planned', 'in_progress', 'done', 'cancelled'];
const CONFLICT =
  'Someone else changed this milestone; reload to see their change, then re-apply yours.';
const EDITED = ['forecast_date', 'actual_date', 'status', 'progress'];

function slip(m) {
  const end = m.status === 'done' ? m.actual_date : m.forecast_date || m.baseline_date;
  if (!end || !m.baseline_date) return null;
  return Math.round((Date.parse(end) - Date.parse(m.baseline_date)) / 86400000);
}

function describe(values) {
  return EDITED.map((k) => `${words(k)} ${values[k] === null || values[k] === '' ? '—' : values[k]}`).join(', ');
}

/** One editable milestone: its table row and a message row under it. */
function editableRow(milestone, columns, onSaved) {
  let current = milestone;
  const label = (what) => `${what} of ${milestone.title}`;
  const inputs = {
    forecast_date: h('input', { type: 'date', name: 'forecast_date', 'aria-label': label('Forecast date') }),
    actual_date: h('input', { type: 'date', name: 'actual_date', 'aria-label': label('Actual date') }),
    status: select(STATUSES.map((v) => [v, words(v)]), milestone.status, { name: 'status', 'aria-label': label('Status') }),
    progress: h('input', { type: 'number', name: 'progress', min: 0, max: 100, step: 1, inputmode: 'numeric', class: 'narrow', 'aria-label': label('Progress (%)') }),
  };
  const fields = {};
  const cellOf = (name) => {
    const error = h('span', { class: 'field-error', id: uid('err') });
    inputs[name].setAttribute('aria-describedby', error.id);
    fields[name] = { input: inputs[name], error };
    return h('td', { class: 'edit-cell' }, inputs[name], error);
  };
  const status = h('div', { class: 'row-status' });
  const messageRow = h('tr', { class: 'row-message', hidden: true }, h('td', { colspan: columns }, status));
  const save = h('button', { type: 'submit', class: 'primary small', 'aria-label': `Save ${milestone.title}` }, 'Save');
  const slipCell = h('td', { class: 'num' });
  const versionOf = h('span', { class: 'muted small' });

  function fill(m) {
    current = m;
    inputs.forecast_date.value = m.forecast_date || '';
    inputs.actual_date.value = m.actual_date || '';
    inputs.status.value = m.status;
    inputs.progress.value = m.progress ?? 0;
    const days = slip(m);
    slipCell.textContent = days === null ? '—' : `${days > 0 ? '+' : ''}${days}`;
    versionOf.textContent = `v${m.version}`;
  }

  function entered() {
    return {
      forecast_date: valueOf(inputs.forecast_date),
      actual_date: valueOf(inputs.actual_date),
      status: inputs.status.value,
      progress: valueOf(inputs.progress, 'number'),
    };
  }

  function show(...children) {
    replace(status, ...children);
    messageRow.hidden = children.length === 0;
  }

  async function reloadAfterConflict(mine) {
    try {
      const fresh = await api.get(`/milestones/${milestone.id}`);
      fill(fresh);
      const reapply = h('button', { type: 'button', on: { click: () => {
        for (const k of EDITED) inputs[k].value = mine[k] ?? '';
        show(message('info', 'Your values are back in the row, on top of the other change. Check them and save.'));
        inputs.forecast_date.focus();
      } } }, 'Re-apply my values');
      show(
        message('info', `Reloaded: the milestone now has ${describe(fresh)} (version ${fresh.version}). ` +
          `Your unsaved values were ${describe(mine)}.`, ' ', reapply)
      );
      onSaved(fresh);
    } catch (e) {
      show(message('error', e.message));
    }
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors(fields);
    const mine = entered();
    const changes = {};
    for (const k of EDITED) {
      if (mine[k] !== (current[k] ?? null)) changes[k] = mine[k];
    }
    if (!Object.keys(changes).length) {
      show(message('info', 'Nothing to save: the row is unchanged.'));
      return;
    }
    save.disabled = true;
    show();
    try {
      const saved = await api.patch(`/milestones/${milestone.id}`, changes, current.version);
      fill(saved);
      show(message('ok', `Saved ${milestone.title} (version ${saved.version}).`));
      onSaved(saved);
    } catch (e) {
      if (e.status === 412) {
        const reload = h('button', { type: 'button', class: 'primary small', on: { click: () => reloadAfterConflict(mine) } }, 'Reload');
        show(message('error', h('strong', null, CONFLICT), ' ', reload));
        reload.focus();
      } else if (e.status === 422) {
        showProblem(e, fields, null);
        const other = e.errors.filter((x) => !fields[x.field]).map((x) => `${x.field}: ${x.message}`);
        show(message('error', `Not saved: ${other.length ? other.join('; ') : 'see the marked fields.'}`));
      } else {
        show(message('error', e.message));
      }
    } finally {
      save.disabled = false;
    }
  }

  // A form cannot wrap a table row, so each row's controls belong to a form placed in its last cell.
  const formId = uid('ms-form');
  const form = h('form', { id: formId, class: 'row-form', on: { submit } }, save, ' ', versionOf);
  for (const input of Object.values(inputs)) input.setAttribute('form', formId);
  const row = h(
    'tr',
    { dataset: { milestone: milestone.id }, class: 'ms-row' },
    h('td', null, milestone.title),
    h('td', { class: 'nowrap' }, day(milestone.baseline_date)),
    cellOf('forecast_date'),
    cellOf('actual_date'),
    cellOf('status'),
    cellOf('progress'),
    slipCell,
    h('td', null, form)
  );
  fill(milestone);
  return [row, messageRow];
}

/** The milestone table; editable when `editable`. `onSaved(milestone)` runs after each save. */
export function milestoneTable(milestones, { editable, onSaved = () => {} }) {
  if (!milestones.length) return h('p', { class: 'muted' }, 'No milestones yet.');
  if (!editable) {
    return paged(milestones, (page) =>
      table(null, ['Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress', 'Slip (days)'],
        page.map((m) => {
          const days = slip(m);
          return [m.title, { value: day(m.baseline_date), class: 'nowrap' }, { value: day(m.forecast_date), class: 'nowrap' }, { value: day(m.actual_date), class: 'nowrap' }, words(m.status),
            { value: `${m.progress}%`, class: 'num' }, { value: days === null ? '—' : `${days > 0 ? '+' : ''}${days}`, class: 'num' }];
        }), { className: 'milestones' }), { label: 'milestones' });
  }
  const headers = ['Milestone', 'Baseline', 'Forecast', 'Actual', 'Status', 'Progress (%)', 'Slip (days)', ''];
  return paged(milestones, (page) => h('div', { class: 'table-wrap' },
    h('table', { class: 'milestones editable' },
      h('caption', { class: 'visually-hidden' }, 'Milestones: edit a row and press Save'),
      h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, page.map((m) => editableRow(m, headers.length, onSaved))))), { label: 'milestones' });
}

/** Declare health with a reason (PATCH the project). `project` is kept current; onSaved(project). */
export function declareHealthForm(project, onSaved) {
  const fields = {
    declared_health: field('Declared health', select([['', 'none (use computed)'], ['green', 'green'], ['amber', 'amber'], ['red', 'red']],
      project.declared_health || '', { name: 'declared_health' })),
    declared_reason: field('Reason', h('textarea', { name: 'declared_reason', rows: 2, maxlength: 1000 }),
      'Say why, in a sentence a reviewer will understand.'),
  };
  fields.declared_reason.input.value = project.declared_reason || '';
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Declare health');
  const form = h('form', { class: 'card form-grid', id: 'declare-health' }, h('h3', null, 'Declare health'),
    fields.declared_health.wrap, fields.declared_reason.wrap, h('div', { class: 'actions' }, button), status);
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, status);
    button.disabled = true;
    try {
      // Leave out what the user left empty, so the server says "is required" where it is.
      const values = Object.fromEntries(Object.entries(body()).filter(([, v]) => v !== null));
      const created = await api.post(path, values);
      form.reset();
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
    role: field('Role', select(['lead_nation', 'co_director', 'contributor', 'observer', 'end_user'].map((v) => [v, words(v)]), 'contributor', { name: 'role' })),
    kind: field('Kind', select(['funding', 'personnel', 'equipment', 'facilities', 'expertise', 'training', 'data'].map((v) => [v, words(v)]), 'funding', { name: 'kind' })),
    state: field('State', select(['pledged', 'committed', 'delivered'], 'pledged', { name: 'state' })),
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
    relation: field('Relation', select(['direct_support', 'interoperability', 'capacity_building', 'lessons_learned'].map((v) => [v, words(v)]), 'direct_support', { name: 'relation' })),
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

/** "My projects": the projects the signed-in lead runs (admins see the projects they lead, if any). */
export async function myProjectsView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'My projects'));
  const all = await api.getAll('/projects');
  const mine = all.filter((p) => p.lead_user_id === session.me.id);
  if (!mine.length) {
    view.append(message('info', 'You lead no project yet. ', link('/projects', 'See all projects'), '.'));
    return;
  }
  view.append(h('p', { class: 'muted' }, `You lead ${mine.length} project${mine.length === 1 ? '' : 's'}. Open one to update its milestones.`));
  view.append(paged(mine, (page) => table(null, ['Code', 'Title', 'Status', 'Declared health', 'End'],
    page.map((p) => [{ value: link(`/projects/${p.id}`, p.code), class: 'nowrap' }, link(`/projects/${p.id}`, p.title), words(p.status),
      p.declared_health ? healthBadge(p.declared_health) : '—', { value: day(p.end_date), class: 'nowrap' }]), { className: 'my-projects' }), { label: 'projects' }));
}
