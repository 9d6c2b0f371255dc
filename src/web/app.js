// captrack's web page: a single page over the JSON API. Routes live in the URL's hash (#/projects/12),
// so every page can be bookmarked and reloaded, and the server serves only this one page.

import * as api from './api.js';
import { h, replace, field, message } from './dom.js';
import { session, loadMe, clearSession } from './state.js';
import { hasMeta, loadMeta } from './meta.js';
import { dashboardView } from './dashboard.js';
import { projectView, projectsView } from './project.js';
import { myProjectsView } from './lead.js';
import { needsUpdateView } from './needs.js';
import { mayLeave, forgetEdits, dropDrafts } from './unsaved.js';
import { contributionsView } from './partner.js';
import { usersView } from './admin.js';
import { snapshotsView } from './snapshots.js';
import { remindersView } from './reminders.js';

const main = document.getElementById('main');

const ROUTES = [
  { pattern: /^\/portfolio$/, view: dashboardView, roles: ['admin', 'reviewer', 'lead'] },
  { pattern: /^\/snapshots$/, view: snapshotsView, roles: ['admin', 'reviewer', 'lead'] },
  { pattern: /^\/projects$/, view: projectsView },
  { pattern: /^\/projects\/([^/]+)$/, view: projectView },
  { pattern: /^\/my-projects$/, view: myProjectsView, roles: ['lead', 'admin'] },
  { pattern: /^\/needs-update$/, view: needsUpdateView, roles: ['lead', 'admin'] },
  { pattern: /^\/contributions$/, view: contributionsView, roles: ['partner'] },
  { pattern: /^\/users$/, view: usersView, roles: ['admin'] },
  { pattern: /^\/reminders$/, view: remindersView },
];

const NAV = {
  admin: [['/users', 'Users'], ['/portfolio', 'Portfolio'], ['/snapshots', 'Snapshots'], ['/projects', 'Projects'], ['/needs-update', 'Needs your update'], ['/reminders', 'My reminders']],
  reviewer: [['/portfolio', 'Portfolio'], ['/snapshots', 'Snapshots'], ['/projects', 'Projects'], ['/reminders', 'My reminders']],
  lead: [['/needs-update', 'Needs your update'], ['/my-projects', 'My projects'], ['/projects', 'Projects'], ['/portfolio', 'Portfolio'], ['/snapshots', 'Snapshots'], ['/reminders', 'My reminders']],
  partner: [['/contributions', 'Our contributions'], ['/projects', 'Projects']],
};

const HOME = { admin: '/users', reviewer: '/portfolio', lead: '/needs-update', partner: '/contributions' };

function currentRoute() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, search = ''] = hash.split('?');
  return { path, params: new URLSearchParams(search) };
}

/** Goes to a route (a hash path such as "/projects/3"). */
export function navigate(route) {
  if (location.hash === `#${route}`) render();
  else location.hash = route;
}

function renderChrome() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const me = session.me;
  if (!me) {
    replace(nav);
    replace(who);
    return;
  }
  const { path } = currentRoute();
  replace(
    nav,
    h(
      'ul',
      null,
      (NAV[me.role] || []).map(([route, label]) =>
        h('li', null, h('a', { href: `#${route}`, 'aria-current': path.startsWith(route) ? 'page' : null }, label))
      )
    )
  );
  replace(
    who,
    h('span', { class: 'who-name' }, `${me.display_name} (${me.role})`),
    h('button', { type: 'button', class: 'link-button', id: 'sign-out', on: { click: signOut } }, 'Sign out')
  );
}

function signOut() {
  if (!mayLeave()) return;
  forgetEdits();
  dropDrafts(); // the next person on this tab must not get them
  api.setToken(null);
  clearSession();
  location.hash = '#/';
  render('You are signed out.');
}

function loginView(notice) {
  const username = field('Username', h('input', { name: 'username', autocomplete: 'username', required: true }));
  const password = field(
    'Password',
    h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })
  );
  const status = h('div', { class: 'form-status' }, notice ? message('info', notice) : null);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card login', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in to captrack'),
    h('p', { class: 'muted' }, 'Use the account your captrack administrator gave you.'),
    username.wrap,
    password.wrap,
    button,
    status
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    username.error.textContent = '';
    password.error.textContent = '';
    replace(status);
    if (!username.input.value.trim()) username.error.textContent = 'Enter your username.';
    if (!password.input.value) password.error.textContent = 'Enter your password.';
    if (!username.input.value.trim() || !password.input.value) return;
    button.disabled = true;
    try {
      const answer = await api.post('/auth/login', {
        username: username.input.value.trim(),
        password: password.input.value,
      });
      api.setToken(answer.token);
      session.me = answer.user;
      const target = currentRoute().path;
      if (target === '/' || target === '/login') location.hash = HOME[answer.user.role] || '/projects';
      else render();
    } catch (e) {
      replace(status, message('error', e.message));
      password.input.value = '';
      password.input.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

let renderCount = 0;
let renderedIndex = 0; // the history place of the page on screen (history.state.captrackIndex)
let restoring = false; // a traversal of ours, undoing a refused one

/** Draws the page for the current route. */
async function render(notice) {
  const count = ++renderCount;
  if (!api.token()) {
    session.me = null;
    renderChrome();
    replace(main, loginView(notice));
    main.querySelector('input')?.focus();
    return;
  }
  if (!session.me || !hasMeta()) {
    // Who is signed in, and the server's sets and labels (GET /meta), once per sign-in.
    try {
      await Promise.all([session.me ? null : loadMe(), loadMeta()]);
    } catch (e) {
      if (count !== renderCount) return;
      if (!api.token()) return; // a 401 already showed the sign-in form
      replace(main, message('error', e.message));
      return;
    }
  }
  if (count !== renderCount) return;
  const { path, params } = currentRoute();
  if (path === '/' || path === '/login') {
    location.replace(`#${HOME[session.me.role] || '/projects'}`);
    return;
  }
  renderChrome();
  // Each history entry drawn carries its place, so that a refused Back or Forward can be undone.
  if (!Number.isInteger(history.state?.captrackIndex)) history.replaceState({ captrackIndex: renderedIndex + 1 }, '');
  renderedIndex = history.state.captrackIndex;
  forgetEdits();
  const view = h('div', { class: 'view' });
  replace(main, view);
  await drawRoute(view, path, params, count);
}

/**
 * Draws in `view` the page of the route `path` matches (or says there is none, or that it is not for
 * this role), then puts the focus on its heading unless something else has it. `count`: the render.
 */
async function drawRoute(view, path, params, count) {
  const route = ROUTES.find((r) => r.pattern.test(path));
  if (!route) {
    replace(view, h('h1', { tabindex: '-1' }, 'Not found'), message('error', `There is no page at ${path}.`));
    return;
  }
  if (route.roles && !route.roles.includes(session.me.role)) {
    replace(view, h('h1', { tabindex: '-1' }, 'Not available'), message('error', 'This page is not for your role.'));
    return;
  }
  const match = path.match(route.pattern);
  try {
    await route.view(view, { args: match.slice(1).map(decodeURIComponent), params, navigate });
  } catch (e) {
    if (count !== renderCount) return;
    view.append(message('error', e.message || 'Something went wrong.'));
    if (!(e instanceof api.ApiError)) console.error(e);
  }
  if (count === renderCount && document.activeElement === document.body) view.querySelector('h1')?.focus();
}

api.whenSignedOut((detail) => {
  clearSession();
  render(detail);
});

document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
// Another route while edits are unsaved (a link, Back, Forward, a typed address): ask first. Staying
// goes back to the page's own history entry without redrawing it, so the edits stay on the page and
// the history stays as it was.
window.addEventListener('hashchange', () => {
  if (restoring) {
    restoring = false;
    return;
  }
  if (!mayLeave()) {
    restoring = true;
    const target = history.state?.captrackIndex;
    if (Number.isInteger(target) && target !== renderedIndex) history.go(renderedIndex - target);
    else history.back(); // a new entry (a link): the page's own is the one before it
    return;
  }
  render();
});
render();
