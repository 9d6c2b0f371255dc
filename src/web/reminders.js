// My reminders (every signed-in user): the e-mail address reminders go to, the opt-out, and when the
// server sends the digest (GET and PATCH /api/v1/me/reminders; docs/OPERATING-mail.md).

import * as api from './api.js';
import { h, replace, field, message } from './dom.js';
import { clearErrors, showProblem, valueOf } from './forms.js';

/** The caller's reminder settings, shown and changed in one form. */
export async function remindersView(view) {
  view.append(h('h1', { tabindex: '-1' }, 'My reminders'));
  const box = h('section', { id: 'reminders' });
  view.append(box);
  try {
    drawForm(box, await api.get('/me/reminders'));
  } catch (e) {
    replace(box, message('error', e.message));
  }
}

/** When mail goes out, in words: "Mondays at 06:00 UTC, with what is due within 30 days". */
function scheduleText(settings) {
  const { weekday, hour_utc: hour, look_ahead_days: days } = settings.digest;
  const day = weekday.charAt(0).toUpperCase() + weekday.slice(1);
  return `${day}s at ${String(hour).padStart(2, '0')}:00 UTC: the milestones of the projects you lead that are ` +
    `overdue, due within ${days} days, or slipped since the last digest.`;
}

function drawForm(box, settings) {
  const email = field('E-mail address', h('input', { type: 'email', name: 'email', autocomplete: 'email', maxlength: 254, value: settings.email || '' }),
    'Leave empty to get no mail.');
  const optIn = h('input', { type: 'checkbox', name: 'email_reminders', id: 'email-reminders', checked: settings.email_reminders });
  const status = h('div', { class: 'form-status', id: 'reminders-status' });
  const form = h('form', { class: 'card form-grid', 'aria-labelledby': 'reminders-title' },
    h('h2', { id: 'reminders-title' }, 'Reminders by e-mail'),
    email.wrap,
    h('div', { class: 'field' }, h('label', { for: 'email-reminders' }, optIn, ' Send me reminders by e-mail')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors({ email }, status);
    try {
      const saved = await api.patch('/me/reminders', { email: valueOf(email.input), email_reminders: optIn.checked }, settings.version);
      drawForm(box, saved);
      replace(document.getElementById('reminders-status'), message('ok', 'Saved.'));
    } catch (e) {
      showProblem(e, { email }, status);
    }
  });
  const schedule = settings.mail_enabled ? h('p', { id: 'reminders-schedule' }, `Digest: ${scheduleText(settings)}`)
    : message('info', 'This server sends no mail (no relay is set up): your settings are kept for when it does.');
  replace(box, schedule, form);
}
