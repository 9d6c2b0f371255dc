// Users (admins): list with pages, add a user, disable or enable, reset a password.

import * as api from './api.js';
import { h, replace, field, select, table, pager, message } from './dom.js';
import { names, wordsOf } from './meta.js';
import { reference, session } from './state.js';
import { clearErrors, showProblem, valueOf } from './forms.js';

const PAGE = 50;

/** The admin's users: the form to add one, then the list, a page at a time, with each user's actions. */
export async function usersView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'Users'));
  const partners = [...(await reference('partners'))].sort((a, b) => a.name.localeCompare(b.name));
  const list = userList(new Map(partners.map((p) => [p.id, p])));
  const form = addUserForm(partners, list.load);
  view.append(form, h('section', { class: 'card', 'aria-labelledby': 'users-title' }, h('h2', { id: 'users-title' }, 'All users'), list.status, list.box));
  await list.load();
}

/** The list of users: its box, its status line, the page shown (`offset`) and load(), which draws that page again. */
function userList(partnerById) {
  const list = { box: h('div', { id: 'users' }), status: h('div', { class: 'form-status' }), offset: 0 };
  list.load = async () => {
    try {
      const page = await api.get(`/users${api.query({ limit: PAGE, offset: list.offset })}`);
      replace(list.box, usersTable(page, partnerById, list),
        pager(list.offset / PAGE, Math.max(1, Math.ceil(page.total / PAGE)), page.total, 'users', (p) => {
          list.offset = p * PAGE;
          list.load();
        }));
    } catch (e) {
      replace(list.box, message('error', e.message));
    }
  };
  return list;
}

/** A page of users as a table, each row with its actions. */
function usersTable(page, partnerById, list) {
  return table(`${page.total} user${page.total === 1 ? '' : 's'}`, ['Username', 'Name', 'Role', 'Partner', 'State', 'Actions'],
    page.items.map((u) => [u.username, u.display_name, u.role,
      u.partner_id ? (partnerById.get(u.partner_id)?.code || `partner ${u.partner_id}`) : '—',
      u.disabled ? h('span', { class: 'badge health-none' }, 'disabled') : 'active', actions(u, list)]), { className: 'users' });
}

/** A user's actions: disable or enable (not for oneself), reset the password. */
function actions(user, list) {
  const toggle = h('button', { type: 'button', class: 'small', on: { click: () => toggleUser(user, list) } },
    user.disabled ? `Enable ${user.username}` : `Disable ${user.username}`);
  const reset = h('button', { type: 'button', class: 'small', 'aria-label': `Reset password of ${user.username}`, on: { click: () => resetForm(user, reset, list) } }, 'Reset password');
  // Disabling yourself would lock you out at once; another admin can do it.
  return h('div', { class: 'row-actions' }, user.id === session.me.id ? null : toggle, ' ', reset);
}

/** Disables or enables a user, says so in the list's status and draws the list again. */
async function toggleUser(user, list) {
  replace(list.status);
  try {
    await api.patch(`/users/${user.id}`, { disabled: !user.disabled }, user.version);
    replace(list.status, message('ok', `${user.username} is ${user.disabled ? 'enabled' : 'disabled'}.`));
    await list.load();
  } catch (e) {
    replace(list.status, message('error', e.message));
  }
}

/** The form that sets a user's new password, opened under `opener` (Cancel gives it the focus back). */
function resetForm(user, opener, list) {
  const password = field(`New password for ${user.username}`, h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 10 }), 'At least 10 characters.');
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'inline-form' }, password.wrap,
    h('button', { type: 'submit', class: 'primary small' }, 'Set password'),
    h('button', { type: 'button', class: 'small', on: { click: () => { form.remove(); opener.focus(); } } }, 'Cancel'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors({ password }, status);
    try {
      await api.patch(`/users/${user.id}`, { password: password.input.value }, user.version);
      await list.load();
      replace(list.status, message('ok', `The password of ${user.username} is changed.`));
    } catch (e) {
      showProblem(e, { password }, status);
    }
  });
  opener.closest('td').append(form);
  password.input.focus();
}

/** The fields of a new user; the partner is chosen among `partners`. */
function userFields(partners) {
  return {
    username: field('Username', h('input', { name: 'username', autocomplete: 'off', maxlength: 64 }), 'Lower case letters, digits and . _ @ -'),
    display_name: field('Display name', h('input', { name: 'display_name' })),
    role: field('Role', select(names('role'), 'lead', { name: 'role' })),
    partner_id: field('Partner (for partner users)', select([['', 'none'], ...partners.map((p) => [p.id, `${p.name} (${p.code})`])], '', { name: 'partner_id' })),
    password: field('Password', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }), 'At least 10 characters; tell the user through a safe channel.'),
  };
}

/** The "Add a user" form; the partner field is enabled only for the partner role. `load` draws the list again. */
function addUserForm(partners, load) {
  const fields = userFields(partners);
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Add user');
  const form = h('form', { class: 'card form-grid', id: 'add-user' }, h('h2', null, 'Add a user'),
    Object.values(fields).map((f) => f.wrap), h('div', { class: 'actions' }, button), status);
  const syncPartner = () => {
    fields.partner_id.input.disabled = fields.role.input.value !== 'partner';
  };
  fields.role.input.addEventListener('change', syncPartner);
  syncPartner();
  form.addEventListener('submit', (event) => addUser(event, { form, fields, status, button, syncPartner, load }));
  return form;
}

/** Sends the "Add a user" form (POST /users), says who was added and draws the list again, or shows what is wrong. */
async function addUser(event, { form, fields, status, button, syncPartner, load }) {
  event.preventDefault();
  clearErrors(fields, status);
  button.disabled = true;
  try {
    const body = {
      username: valueOf(fields.username.input),
      display_name: valueOf(fields.display_name.input),
      role: fields.role.input.value,
      password: fields.password.input.value,
    };
    if (body.role === 'partner') body.partner_id = valueOf(fields.partner_id.input, 'number');
    const created = await api.post('/users', body);
    form.reset();
    syncPartner();
    replace(status, message('ok', `User ${created.username} (${wordsOf(created.role)}) added.`));
    await load();
  } catch (e) {
    showProblem(e, fields, status);
  } finally {
    button.disabled = false;
  }
}
