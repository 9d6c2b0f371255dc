// The browser journeys of captrack's web page: each role's weekly job, driven in Debian's Chromium
// (headless, through playwright-core; no browser is ever downloaded) against a real captrack server.
//
// Run by run.sh, which starts the server and passes:
//   CAPTRACK_URL          http://127.0.0.1:<port>
//   CAPTRACK_DEMO_USERS   JSON {"demo-admin": "<password>", ...} as printed by `captrack seed --demo`
//   CAPTRACK_SCREENSHOTS  folder for the screenshots
//   CAPTRACK_PROFILE      a fresh, empty Chromium profile folder
// Prints one line per journey and "N passed, N failed"; exits non-zero when any failed.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const BASE = process.env.CAPTRACK_URL;
const USERS = JSON.parse(process.env.CAPTRACK_DEMO_USERS || '{}');
const SHOTS = process.env.CAPTRACK_SCREENSHOTS;
const PROFILE = process.env.CAPTRACK_PROFILE;
const CHROMIUM = process.env.CAPTRACK_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT = 10_000;
const JOURNEY_TIMEOUT = 45_000;

if (!BASE || !SHOTS || !PROFILE || !USERS['demo-admin']) {
  console.error('journeys.mjs: run it through tests/browser/run.sh');
  process.exit(2);
}
fs.mkdirSync(SHOTS, { recursive: true });

// ---- the API, behind the page's back ----

async function call(method, apiPath, { token, body, ifMatch } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  const response = await fetch(`${BASE}/api/v1${apiPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(STEP_TIMEOUT),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: response.status, data };
}

async function tokenOf(username, password = USERS[username]) {
  const answer = await call('POST', '/auth/login', { body: { username, password } });
  if (answer.status !== 200) throw new Error(`sign-in of ${username} through the API: ${answer.status}`);
  return answer.data.token;
}

async function apiGet(token, apiPath) {
  const answer = await call('GET', apiPath, { token });
  if (answer.status !== 200) throw new Error(`GET ${apiPath}: ${answer.status} ${JSON.stringify(answer.data)}`);
  return answer.data;
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---- the browser ----

const context = await chromium.launchPersistentContext(PROFILE, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1280, height: 800 },
  acceptDownloads: true,
  timeout: 30_000,
});
context.setDefaultTimeout(STEP_TIMEOUT);

/** A new tab (its own sessionStorage, so signed out) that records script errors and CSP violations. */
async function newPage(problems) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The page may talk to captrack only (context.route would block the rest, but it turns off the HTTP
  // cache, and the journeys check the ETag revalidation).
  page.on('request', (r) => {
    if (!r.url().startsWith(`${BASE}/`) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`request outside captrack: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

async function signIn(page, username, heading) {
  await page.goto(`${BASE}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(USERS[username]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Signs in with the keyboard only: the form focuses the username, Tab moves on, Enter submits. */
async function signInByKeyboard(page, username, heading) {
  await page.goto(`${BASE}/`);
  await page.getByLabel('Username').waitFor();
  check(await page.getByLabel('Username').evaluate((el) => el === document.activeElement), 'the username has the focus');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(USERS[username]);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

async function shoot(page, name, { fullPage = true } = {}) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** The texts of the first column of the report's rows table. */
async function rowKeys(page) {
  return page.locator('#report-rows table tbody tr td:first-child').allTextContents();
}

// ---- the journeys ----

async function reviewerJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-reviewer');
  await signIn(page, 'demo-reviewer', 'Portfolio');
  await page.locator('#report-rows table').waitFor();
  const byStatus = await rowKeys(page);
  check(byStatus.includes('implementation'), `rows by status: ${byStatus}`);
  check((await page.locator('svg.health-chart rect').count()) === 4, 'the health chart has four bars');
  await shoot(page, 'reviewer-dashboard');

  // Group by framework: the rows become frameworks.
  await page.getByLabel('Group by').selectOption('framework');
  await page.locator('#report-rows th', { hasText: 'Framework' }).waitFor();
  const byFramework = await rowKeys(page);
  check(byFramework.some((k) => k.includes('(NATO)')), `rows by framework: ${byFramework}`);

  // Filter on status: the page shows what the API counts for the same query.
  const expected = await apiGet(token, '/reports/portfolio?group_by=framework&status=implementation');
  await page.getByLabel('Status', { exact: true }).selectOption('implementation');
  await page
    .locator('#report-summary', { hasText: `${expected.totals.projects} projects` })
    .waitFor();
  check(page.url().includes('status=implementation'), `the filters are in the URL: ${page.url()}`);
  const filteredKeys = await rowKeys(page);
  check(filteredKeys.length === expected.rows.length, `rows after the filter: ${filteredKeys.length} vs ${expected.rows.length}`);

  // Download the CSV (fetched with the bearer token, saved as a file).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
  check(download.suggestedFilename() === 'captrack-portfolio.csv', `file name ${download.suggestedFilename()}`);
  const saved = path.join(SHOTS, 'reviewer-report.csv');
  await download.saveAs(saved);
  const csv = fs.readFileSync(saved, 'utf8');
  check(csv.startsWith('key,label,projects'), `CSV header: ${csv.slice(0, 40)}`);
  check(csv.trim().split('\n').length === expected.rows.length + 2, 'one CSV line per row, plus header and totals');

  // A project page from the overdue list: summary, trend chart, audit trail.
  const first = page.locator('#overdue_days-title').locator('..').locator('tbody a').first();
  const code = (await first.textContent()).trim();
  await first.click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${code} — `) }).waitFor();
  await page.locator('#summary .summary-text').waitFor();
  await page.locator('#trend svg').waitFor();
  await page.locator('#audit table').waitFor();
  await shoot(page, 'reviewer-project');
  await page.close();
}

async function leadJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-lead');
  const me = await apiGet(token, '/me');
  const projects = (await apiGet(token, '/projects?limit=500')).items.filter((p) => p.lead_user_id === me.id);
  check(projects.length > 0, 'demo-lead leads projects');
  const project = projects.sort((a, b) => a.code.localeCompare(b.code))[0];
  const milestones = (await apiGet(token, `/projects/${project.id}/milestones?limit=500`)).items;
  const target = milestones.find((m) => m.status === 'planned');
  check(target, `${project.code} has a planned milestone`);

  await signIn(page, 'demo-lead', 'My projects');
  await page.getByRole('link', { name: project.code }).waitFor();
  await shoot(page, 'lead-my-projects');
  await page.getByRole('link', { name: project.code }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${project.code} — `) }).waitFor();
  const row = page.locator(`tr[data-milestone="${target.id}"]`);
  const messageRow = row.locator('xpath=following-sibling::tr[1]');
  await row.waitFor();

  // 1. Reschedule: the forecast is saved.
  const forecast = addDays(target.forecast_date || target.baseline_date, 21);
  await row.locator('input[name="forecast_date"]').fill(forecast);
  await row.getByRole('button', { name: 'Save' }).click();
  await messageRow.getByText('Saved').waitFor();
  const afterSave = await apiGet(token, `/milestones/${target.id}`);
  check(afterSave.forecast_date === forecast, `stored forecast ${afterSave.forecast_date}, wanted ${forecast}`);

  // 2. Done without an actual date: the server's 422 shows next to the actual date field.
  await row.locator('select[name="status"]').selectOption('done');
  await row.getByRole('button', { name: 'Save' }).click();
  const actualError = row.locator('input[name="actual_date"] ~ .field-error');
  await actualError.getByText('is required when status is done').waitFor();
  check((await row.locator('input[name="actual_date"]').getAttribute('aria-invalid')) === 'true', 'actual date marked invalid');
  const afterInvalid = await apiGet(token, `/milestones/${target.id}`);
  check(afterInvalid.status === target.status && afterInvalid.version === afterSave.version, 'the refused change stored nothing');
  await shoot(page, 'lead-validation-error', { fullPage: false });
  await row.locator('select[name="status"]').selectOption(target.status);

  // 3. Someone else changes the milestone behind the page's back: the save is refused (412), nothing is lost.
  const theirs = await call('PATCH', `/milestones/${target.id}`, { token, body: { progress: 37 }, ifMatch: afterSave.version });
  check(theirs.status === 200, `the other change: ${theirs.status}`);
  await row.locator('input[name="progress"]').fill('55');
  await row.getByRole('button', { name: 'Save' }).click();
  await messageRow
    .getByText('Someone else changed this milestone; reload to see their change, then re-apply yours')
    .waitFor();
  await row.locator('input[name="progress"]').scrollIntoViewIfNeeded();
  await shoot(page, 'lead-conflict', { fullPage: false });
  await messageRow.getByRole('button', { name: 'Reload' }).click();
  await messageRow.getByText('Your unsaved values were').waitFor();
  check((await row.locator('input[name="progress"]').inputValue()) === '37', 'reload shows the other change');
  await messageRow.getByRole('button', { name: 'Re-apply my values' }).click();
  check((await row.locator('input[name="progress"]').inputValue()) === '55', 're-apply brings back my value');
  await row.getByRole('button', { name: 'Save' }).click();
  await messageRow.getByText('Saved').waitFor();
  const final = await apiGet(token, `/milestones/${target.id}`);
  check(final.progress === 55 && final.forecast_date === forecast, `stored after re-apply: ${JSON.stringify(final)}`);

  // 4. Declare health with a reason.
  await page.getByLabel('Declared health').selectOption('amber');
  await page.getByLabel('Reason').first().fill('Trial site access delayed by the host nation');
  await page.getByRole('button', { name: 'Declare health' }).click();
  await page.locator('#summary .badge', { hasText: 'Declared: amber' }).waitFor();
  const declared = await apiGet(token, `/projects/${project.id}`);
  check(declared.declared_health === 'amber', 'declared health stored');

  // 5. Add a contribution: without a partner the 422 shows at the partner picker; then it is added.
  const form = page.locator('#add-contribution');
  const before = (await apiGet(token, `/projects/${project.id}/contributions?limit=500`)).total;
  await form.getByLabel('Amount (€)').fill('25000');
  await form.getByRole('button', { name: 'Add contribution' }).click();
  await form.locator('select[name="partner_id"] ~ .field-error').getByText(/required/).waitFor();
  await form.getByLabel('Partner').selectOption({ label: 'Republic of Moldova (MDA, EAPC)' });
  await form.getByLabel('State').selectOption('committed');
  await form.getByLabel('Amount (€)').fill('25000');
  await form.getByRole('button', { name: 'Add contribution' }).click();
  await form.getByText('Contribution added (25,000 €).').waitFor();
  await page.locator('#contributions td', { hasText: 'Republic of Moldova (MDA)' }).first().waitFor();
  check((await apiGet(token, `/projects/${project.id}/contributions?limit=500`)).total === before + 1, 'one contribution added');

  // 6. Take a named baseline.
  const baseline = page.locator('#take-baseline');
  await baseline.getByLabel('Baseline name').fill('E2E re-plan');
  await baseline.getByLabel('Reason').fill('Milestone moved in the browser test');
  await baseline.getByRole('button', { name: 'Take baseline' }).click();
  await page.locator('#baselines td', { hasText: 'E2E re-plan' }).waitFor();
  await shoot(page, 'lead-project');
  await page.close();
}

async function partnerJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-partner');
  const me = await apiGet(token, '/me');
  const own = (await apiGet(token, `/partners/${me.partner_id}/contributions?limit=500`)).items;
  check(own.length > 0, 'the demo partner has contributions');

  await signInByKeyboard(page, 'demo-partner', 'Our contributions');
  await page.locator('#our-contributions table').first().waitFor();
  const ownRows = await page.locator('#our-contributions tbody tr').count();
  check(ownRows === own.length, `our contributions listed: ${ownRows} of ${own.length}`);
  await page.locator('#totals-by-state tfoot').waitFor();
  await page.locator('#totals-by-kind tfoot').waitFor();
  await shoot(page, 'partner-contributions');

  // A project where the partner contributes next to others: the others' amounts are never numbers.
  let projectId = null;
  let all = [];
  for (const id of new Set(own.map((c) => c.project_id))) {
    all = (await apiGet(token, `/projects/${id}/contributions?limit=500`)).items;
    if (all.some((c) => c.partner_id !== me.partner_id)) {
      projectId = id;
      break;
    }
  }
  check(projectId, 'others contribute to a project the partner contributes to');
  await page.goto(`${BASE}/#/projects/${projectId}`);
  await page.locator('#contributions table').waitFor();
  const amounts = await page.locator('#contributions td.amount').allTextContents();
  check(amounts.length === all.length, `contribution rows ${amounts.length} of ${all.length}`);
  all.forEach((c, i) => {
    if (c.partner_id !== me.partner_id) check(amounts[i] === '—', `another partner's amount shows as "${amounts[i]}"`);
    else check(/\d/.test(amounts[i]), `our own amount shows as "${amounts[i]}"`);
  });
  await shoot(page, 'partner-project');

  // Another partner's restricted project, opened by its URL: not found (as if it did not exist).
  const reviewer = await tokenOf('demo-reviewer');
  const restricted = (await apiGet(reviewer, '/projects?limit=500&visibility=restricted')).items[0];
  check(restricted, 'the demo data has a restricted project');
  await page.goto(`${BASE}/#/projects/${restricted.id}`);
  await page.getByRole('heading', { level: 1, name: 'Project not found' }).waitFor();
  await page.getByText('Not found').first().waitFor();
  check(!(await page.content()).includes(restricted.title), 'the restricted title does not leak');
  await shoot(page, 'partner-not-found', { fullPage: false });
  await page.close();
}

async function adminJourney(problems) {
  const page = await newPage(problems);
  const username = `e2e-${Date.now().toString(36)}`;
  const password = 'correct-horse-battery-9';
  await signIn(page, 'demo-admin', 'Portfolio');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill('End-to-end lead');
  await page.getByLabel('Role').selectOption('lead');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText(`User ${username} (lead) added.`).waitFor();
  const row = page.locator('#users tr', { hasText: username });
  await row.waitFor();
  check((await tokenOf(username, password)).length > 0, 'the new user can sign in');

  // Reset the password: the new one signs in, the old one no longer does.
  const newPassword = 'another-horse-battery-7';
  await row.getByRole('button', { name: `Reset the password of ${username}` }).click();
  await row.getByLabel(`New password for ${username}`).fill(newPassword);
  await row.getByRole('button', { name: 'Set password' }).click();
  await page.getByText(`The password of ${username} is changed.`).waitFor();
  check((await call('POST', '/auth/login', { body: { username, password } })).status === 401, 'the old password is refused');
  check((await tokenOf(username, newPassword)).length > 0, 'the new password signs in');

  await row.getByRole('button', { name: `Disable ${username}` }).click();
  await page.getByText(`${username} is disabled.`).waitFor();
  await row.getByText('disabled', { exact: true }).waitFor();
  const refused = await call('POST', '/auth/login', { body: { username, password: newPassword } });
  check(refused.status === 401, `a disabled user signs in: ${refused.status}`);
  await shoot(page, 'admin-users');

  // Sign out: back to the sign-in form, and the token is gone from sessionStorage.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in to captrack' }).waitFor();
  check((await page.evaluate(() => sessionStorage.length)) === 0, 'sign-out clears the token');
  await page.close();
}

async function phoneJourney(problems) {
  // Readable at 390 px: nothing wider than the screen except inside scrolling table wrappers.
  const page = await newPage(problems);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'demo-reviewer', 'Portfolio');
  await page.locator('#report-rows table').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await shoot(page, 'reviewer-dashboard-phone');

  // A reload keeps the session (sessionStorage) and revalidates the cached page files (ETag -> 304).
  const revalidated = [];
  page.on('response', (r) => {
    if (r.status() === 304) revalidated.push(new URL(r.url()).pathname);
  });
  await page.reload();
  await page.locator('#report-rows table').waitFor();
  check(revalidated.includes('/app.js'), `the reload revalidated app.js with a 304 (got ${revalidated})`);
  await page.close();
}

const JOURNEYS = [
  ['reviewer: dashboard, filter, group-by, download, project page', reviewerJourney],
  ['lead: reschedule, validation error, 412 conflict, declare health, contribution, baseline', leadJourney],
  ['partner: keyboard sign-in, our contributions, no amounts of others, restricted URL not found', partnerJourney],
  ['admin: add a user, reset the password, disable, sign out', adminJourney],
  ['phone width: dashboard fits 390 px; a reload keeps the session and revalidates', phoneJourney],
];

let passed = 0;
let failed = 0;
for (const [name, journey] of JOURNEYS) {
  const problems = [];
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      journey(problems),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`took over ${JOURNEY_TIMEOUT / 1000} s`)), JOURNEY_TIMEOUT);
      }),
    ]);
    if (problems.length) throw new Error(problems.join('\n'));
    passed += 1;
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n  ${String(e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
    for (const page of context.pages()) {
      await page.screenshot({ path: path.join(SHOTS, `failure-${passed + failed}.png`), fullPage: true }).catch(() => {});
      await page.close().catch(() => {});
    }
  } finally {
    clearTimeout(timer);
  }
}
await context.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
