// Users (admins): list with pages, add a user, disable or enable, reset a password.

import * as api from './api.js';
import { h, replace, field, select, table, pager, message } from './dom.js';
import { names, wordsOf } from './meta.js';
import { reference, session } from './state.js';
import { clearErrors, showProblem, valueOf } from './forms.js';

const PAGE = 50;

export async function usersView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'Users'));
  const partners = [...(await reference('partners'))].sort((a, b) => a.name.localeCompare(b.name));
  const partnerById = new Map(partners.map((p) => [p.id, p]));
  const listBox = h('div', { id: 'users' });
  const listStatus = h('div', { class: 'form-status' });
  let offset = 0;

  async function load() {
    try {
      const page = await api.get(`/users${api.query({ limit: PAGE, offset })}`);
      replace(listBox,
        table(`${page.total} user${page.total === 1 ? '' : 's'}`, ['Username', 'Name', 'Role', 'Partner', 'State', 'Actions'],
          page.items.map((u) => [u.username, u.display_name, u.role,
            u.partner_id ? (partnerById.get(u.partner_id)?.code || `partner ${u.partner_id}`) : '—',
            u.disabled ? h('span', { class: 'badge health-none' }, 'disabled') : 'active', actions(u)]), { className: 'users' }),
        pager(offset / PAGE, Math.max(1, Math.ceil(page.total / PAGE)), page.total, 'users', (p) => {
          offset = p * PAGE;
          load();
        }));
    } catch (e) {
      replace(listBox, message('error', e.message));
    }
  }

  function actions(user) {
    const toggle = h('button', { type: 'button', class: 'small', on: { click: async () => {
      replace(listStatus);
      try {
        await api.patch(`/users/${user.id}`, { disabled: !user.disabled }, user.version);
        replace(listStatus, message('ok', `${user.username} is ${user.disabled ? 'enabled' : 'disabled'}.`));
        await load();
      } catch (e) {
        replace(listStatus, message('error', e.message));
      }
    } } }, user.disabled ? `Enable ${user.username}` : `Disable ${user.username}`);
    const reset = h('button', { type: 'button', class: 'small', 'aria-label': `Reset password of ${user.username}`, on: { click: () => resetForm(user, reset) } }, 'Reset password');
    // Disabling yourself would lock you out at once; another admin can do it.
    return h('div', { class: 'row-actions' }, user.id === session.me.id ? null : toggle, ' ', reset);
  }

  function resetForm(user, opener) {
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
        await load();
        replace(listStatus, message('ok', `The password of ${user.username} is changed.`));
      } catch (e) {
        showProblem(e, { password }, status);
      }
    });
    opener.closest('td').append(form);
    password.input.focus();
  }

  const fields = {
    username: field('Username', h('input', { name: 'username', autocomplete: 'off', maxlength: 64 }), 'Lower case letters, digits and . _ @ -'),
    display_name: field('Display name', h('input', { name: 'display_name' })),
    role: field('Role', select(names('role'), 'lead', { name: 'role' })),
    partner_id: field('Partner (for partner users)', select([['', 'none'], ...partners.map((p) => [p.id, `${p.name} (${p.code})`])], '', { name: 'partner_id' })),
    password: field('Password', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }), 'At least 10 characters; tell the user through a safe channel.'),
  };
  const status = h('div', { class: 'form-status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Add user');
  const form = h('form', { class: 'card form-grid', id: 'add-user' }, h('h2', null, 'Add a user'),
    Object.values(fields).map((f) => f.wrap), h('div', { class: 'actions' }, button), status);
  const syncPartner = () => {
    fields.partner_id.input.disabled = fields.role.input.value !== 'partner';
  };
  fields.role.input.addEventListener('change', syncPartner);
  syncPartner();
  form.addEventListener('submit', async (event) => {
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
  });

  view.append(form, h('section', { class: 'card', 'aria-labelledby': 'users-title' }, h('h2', { id: 'users-title' }, 'All users'), listStatus, listBox));
  await load();
}
