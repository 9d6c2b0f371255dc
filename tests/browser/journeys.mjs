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
const JOURNEY_TIMEOUT = 90_000;

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

// ---- accessibility: axe-core (pinned in package-lock.json), every rule, on every view ----

const AXE_SOURCE = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const AXE_COUNTS = []; // [view, width, {critical, serious, moderate, minor}]

/** Runs axe-core on the page as it stands; serious and critical violations become problems. */
async function axeCheck(page, view, problems) {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as it is.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const width = page.viewportSize().width;
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) {
    counts[v.impact] = (counts[v.impact] || 0) + v.nodes;
    if (v.impact === 'serious' || v.impact === 'critical') {
      problems.push(`axe, ${view} at ${width} px: ${v.impact} ${v.id} on ${v.nodes} element(s), e.g. ${v.targets.join(' | ')}`);
    }
  }
  AXE_COUNTS.push([view, width, counts, violations.map((v) => `${v.id} (${v.impact})`).join(', ')]);
}

/** Chart labels on screen: none under 10 px, and no two labels of one chart overlapping. */
async function checkChartLabels(page, selector, what) {
  const found = await page.evaluate((sel) => {
    const out = { small: [], overlaps: [], labels: 0 };
    for (const svg of document.querySelectorAll(sel)) {
      const boxes = [];
      for (const t of svg.querySelectorAll('text')) {
        if (!t.textContent.trim()) continue;
        const scale = t.getScreenCTM() ? t.getScreenCTM().a : 1;
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < 10) out.small.push(`${t.textContent} ${px.toFixed(1)}px`);
        boxes.push([t.textContent, t.getBoundingClientRect()]);
        out.labels += 1;
      }
      for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
          const [a, r] = boxes[i];
          const [b, q] = boxes[j];
          const overlap = Math.min(r.right, q.right) - Math.max(r.left, q.left) > 1 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 1;
          if (overlap) out.overlaps.push(`"${a}" / "${b}"`);
        }
      }
    }
    return out;
  }, selector);
  check(found.labels > 0, `${what}: no chart labels found (${selector})`);
  check(!found.small.length, `${what}: labels under 10 px: ${found.small.slice(0, 5).join(', ')}`);
  check(!found.overlaps.length, `${what}: overlapping labels: ${found.overlaps.slice(0, 5).join(', ')}`);
}

/** What /me/needs-update must list, worked out here from the lead's projects and milestones. */
async function expectedNeeds(token, me, asOf, lookAhead, staleDays) {
  const projects = (await apiGet(token, '/projects?limit=500')).items.filter((p) => p.lead_user_id === me.id);
  const ids = new Set();
  for (const project of projects) {
    for (const m of (await apiGet(token, `/projects/${project.id}/milestones?limit=500`)).items) {
      if (m.status === 'done' || m.status === 'cancelled') continue;
      const due = m.forecast_date || m.baseline_date;
      const untouched = Math.floor((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${m.updated_at.slice(0, 10)}T00:00:00Z`)) / 86400000);
      if (due < asOf || due <= addDays(asOf, lookAhead) || untouched >= staleDays) ids.add(m.id);
    }
  }
  return ids;
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
  await checkChartLabels(page, 'svg.health-chart', 'health chart at 1280 px');
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
  // And the Excel workbook (an .xlsx is a zip file; tests/report/xlsx_downloads.py reads its cells).
  const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Excel' }).click()]);
  check(workbook.suggestedFilename() === 'captrack-portfolio.xlsx', `file name ${workbook.suggestedFilename()}`);
  const savedBook = path.join(SHOTS, 'reviewer-report.xlsx');
  await workbook.saveAs(savedBook);
  check(fs.readFileSync(savedBook).subarray(0, 2).toString('latin1') === 'PK', 'the Excel download is not a zip file');

  // A project page from the overdue list: summary, trend chart, audit trail.
  const first = page.locator('#overdue_days-title').locator('..').locator('tbody a').first();
  const code = (await first.textContent()).trim();
  await first.click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${code} — `) }).waitFor();
  await page.locator('#summary .summary-text').waitFor();
  await page.locator('#trend svg').waitFor();
  await page.locator('#audit table').waitFor();
  await page.locator('#timeline svg text').first().waitFor();
  await checkChartLabels(page, '#timeline svg', 'timeline at 1280 px');
  await checkChartLabels(page, '#trend svg', 'trend at 1280 px');
  await shoot(page, 'reviewer-project');

  await page.close();

  // Leaving the portfolio before it has loaded: the page left stays left (its late answers must not
  // write its address back). Its reference lists are held back for a second to make sure.
  const early = await newPage(problems);
  await early.route('**/api/v1/missions**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue().catch(() => {});
  });
  await signIn(early, 'demo-reviewer', 'Portfolio');
  await early.getByRole('link', { name: 'Projects', exact: true }).click();
  await early.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  await early.waitForTimeout(1500);
  check(new URL(early.url()).hash.startsWith('#/projects'), `after leaving the portfolio early the address is ${early.url()}`);
  check(await early.getByRole('heading', { level: 1, name: 'Projects' }).isVisible(), 'the projects page stays on screen');
  await early.close();
}

async function snapshotJourney(problems) {
  const page = await newPage(problems);
  const admin = await tokenOf('demo-admin');
  await signIn(page, 'demo-reviewer', 'Portfolio');
  await page.getByRole('link', { name: 'Snapshots', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Snapshots' }).waitFor();

  // Publish, change the portfolio behind the page's back, publish again.
  const publish = async (name) => {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.msg-ok', { hasText: `Published “${name}”` }).waitFor();
    await page.locator('#snapshot-list td', { hasText: name }).waitFor();
  };
  await publish('Journey before');
  const project = (await apiGet(admin, '/projects?limit=500&sort=code')).items.find(
    (p) => p.declared_health !== 'red' && ['pipeline', 'implementation', 'finalisation'].includes(p.status));
  check(project, 'a project whose health can be declared red');
  const declared = await call('PATCH', `/projects/${project.id}`, {
    token: admin, ifMatch: project.version, body: { declared_health: 'red', declared_reason: 'Journey: supplier failed' },
  });
  check(declared.status === 200, `declaring red: ${declared.status}`);
  await publish('Journey after');

  // Compare the two: the project's health change is drawn, as the API has it.
  const [after, before] = (await apiGet(admin, '/reports/snapshots')).items;
  await page.getByLabel('From', { exact: true }).selectOption({ label: `${before.name} (${before.as_of})` });
  await page.getByLabel('To', { exact: true }).selectOption({ label: `${after.name} (${after.as_of})` });
  await page.getByRole('button', { name: 'Compare' }).click();
  const row = page.locator('#changed-health tr', { hasText: project.code });
  await row.waitFor();
  check((await row.locator('.badge.health-red').count()) === 1, 'the health change ends in a red badge');
  const changes = await apiGet(admin, `/reports/changes?from=${before.id}&to=${after.id}`);
  const shown = await page.locator('#changed-health tbody tr').count();
  check(shown === changes.health.length, `health changes shown ${shown}, in the API ${changes.health.length}`);
  await shoot(page, 'reviewer-snapshots-compare');

  // A snapshot's report, downloaded: the bytes published, whatever changed since.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('group', { name: 'Download Journey before' }).getByRole('button', { name: 'JSON' }).click()]);
  const saved = path.join(SHOTS, 'snapshot-before.json');
  await download.saveAs(saved);
  const stored = await call('GET', `/reports/snapshots/${before.id}/portfolio`, { token: admin });
  check(JSON.stringify(JSON.parse(fs.readFileSync(saved, 'utf8'))) === JSON.stringify(stored.data),
    'the downloaded snapshot is the stored one');
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

  // The lead lands on "Needs your update"; their projects are one link away.
  await signIn(page, 'demo-lead', 'Needs your update');
  await page.getByRole('link', { name: 'My projects' }).click();
  await page.getByRole('link', { name: project.code }).waitFor();
  await shoot(page, 'lead-my-projects');
  await page.getByRole('link', { name: project.code }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${project.code} — `) }).waitFor();
  // Milestones come first on the project page.
  const firstSection = await page.locator('main section').first().getAttribute('id');
  check(firstSection === 'milestones', `the first section of the project page is ${firstSection}`);
  const row = page.locator(`tr[data-milestone="${target.id}"]`);
  const messageRow = row.locator('xpath=following-sibling::tr[1]');
  await row.waitFor();
  const forecastInput = row.locator('input[name="forecast_date"]');

  // 1. Reschedule by typing the date: saved with Enter, the focus stays in the field.
  const forecast = addDays(target.forecast_date || target.baseline_date, 21);
  await forecastInput.fill(forecast);
  await forecastInput.press('Enter');
  await messageRow.getByText('Saved.').waitFor();
  check(await forecastInput.evaluate((el) => el === document.activeElement), 'the focus stays in the field that saved');
  await page.locator('#announcer', { hasText: `Saved ${target.title}.` }).waitFor();
  const afterSave = await apiGet(token, `/milestones/${target.id}`);
  check(afterSave.forecast_date === forecast, `stored forecast ${afterSave.forecast_date}, wanted ${forecast}`);
  // The slip shown is the server's (the trend's slip_days), asked again after the save.
  const savedSlip = (await apiGet(token, `/projects/${project.id}/trend`)).milestones.find((m) => m.id === target.id).slip_days;
  const slipText = `${savedSlip > 0 ? '+' : ''}${savedSlip}`;
  await row.locator('td[data-label="Slip (days)"]').filter({ hasText: new RegExp(`^${slipText.replace('+', '\\+')}$`) }).waitFor();
  // The statuses and their labels are the server's (GET /meta), in its order.
  const meta = await apiGet(token, '/meta');
  const statusChoices = await row.locator('select[name="status"] option').evaluateAll((options) => options.map((o) => [o.value, o.textContent]));
  check(JSON.stringify(statusChoices) === JSON.stringify(meta.sets.milestone_status.map((n) => [n, meta.labels[n]])),
    `the status choices are the server's: ${JSON.stringify(statusChoices)}`);

  // 2. "Done" fills in the actual date (today) and 100%; with the actual date taken out again, the
  //    server's 422 shows next to it and nothing is stored.
  await row.locator('select[name="status"]').selectOption('done');
  const todayUtc = new Date().toISOString().slice(0, 10);
  check((await row.locator('input[name="actual_date"]').inputValue()) === todayUtc, 'done suggests today as the actual date');
  check((await row.locator('input[name="progress"]').inputValue()) === '100', 'done suggests 100%');
  await row.locator('input[name="actual_date"]').fill('');
  await row.getByRole('button', { name: 'Save' }).click();
  check(await row.getByRole('button', { name: 'Save' }).evaluate((b) => b === document.activeElement), 'the focus stays on Save');
  const actualError = row.locator('td:has(input[name="actual_date"]) .field-error');
  await actualError.filter({ hasText: /required|needs|give/i }).waitFor();
  check((await row.locator('input[name="actual_date"]').getAttribute('aria-invalid')) === 'true', 'actual date marked invalid');
  const afterInvalid = await apiGet(token, `/milestones/${target.id}`);
  check(afterInvalid.status === target.status && afterInvalid.version === afterSave.version, 'the refused change stored nothing');
  await shoot(page, 'lead-validation-error', { fullPage: false });
  await row.locator('select[name="status"]').selectOption(target.status);
  await row.locator('input[name="progress"]').fill(String(afterSave.progress));
  await row.locator('input[name="progress"]').dispatchEvent('change');
  check(!(await row.getAttribute('class')).includes('edited'), 'the row is back to what is saved');

  // 3. The lead changes only the forecast; meanwhile someone else sets "in progress" and 20%. The save
  //    is refused (412), the row shows their change and keeps the lead's; saving again stores both.
  const theirs = await call('PATCH', `/milestones/${target.id}`, { token, body: { status: 'in_progress', progress: 20 }, ifMatch: afterSave.version });
  check(theirs.status === 200, `the other change: ${theirs.status}`);
  const mine = addDays(forecast, 7);
  await forecastInput.fill(mine);
  await row.getByRole('button', { name: 'Save' }).click();
  await messageRow.getByText('someone else saved this milestone first').waitFor();
  const told = await messageRow.textContent();
  check(told.includes('status planned → in progress') && told.includes('progress 0% → 20%'), `the message says what they changed: ${told}`);
  check((await row.locator('select[name="status"]').inputValue()) === 'in_progress', 'their status is in the row');
  check((await row.locator('input[name="progress"]').inputValue()) === '20', 'their progress is in the row');
  check((await forecastInput.inputValue()) === mine, 'my forecast is still in the row');
  await row.locator('input[name="progress"]').scrollIntoViewIfNeeded();
  await shoot(page, 'lead-conflict', { fullPage: false });
  await axeCheck(page, 'lead project page, conflict shown', problems);
  // They save once more before the lead does: a second conflict, and again both sides are kept.
  const second = await apiGet(token, `/milestones/${target.id}`);
  check((await call('PATCH', `/milestones/${target.id}`, { token, body: { progress: 30 }, ifMatch: second.version })).status === 200, 'their second change');
  await messageRow.getByRole('button', { name: 'Save my changes' }).click();
  await messageRow.getByText('progress 20% → 30%').waitFor();
  check(await page.evaluate(() => document.activeElement !== document.body), 'the focus stays in the row after a second conflict');
  await messageRow.getByRole('button', { name: 'Save my changes' }).click();
  await messageRow.getByText('Saved.').waitFor();
  check(await row.evaluate((r) => r.contains(document.activeElement)), 'the focus stays in the row after "Save my changes"');
  const final = await apiGet(token, `/milestones/${target.id}`);
  check(final.forecast_date === mine && final.status === 'in_progress' && final.progress === 30,
    `stored after the conflicts: ${JSON.stringify(final)} (their status and progress must stay)`);

  // Typing on while a save is under way: what is typed after it began is kept, marked, and saved next.
  await page.route(`**/api/v1/milestones/${target.id}`, async (route) => {
    if (route.request().method() === 'PATCH') await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue().catch(() => {});
  });
  await forecastInput.fill(addDays(mine, 1));
  await row.getByRole('button', { name: 'Save' }).click();
  await row.locator('input[name="progress"]').fill('35');
  await messageRow.getByText('What you typed since is kept').waitFor();
  check((await row.locator('input[name="progress"]').inputValue()) === '35', 'typing during the save is kept');
  check(await row.evaluate((r) => r.classList.contains('edited')), 'and marked as not saved');
  await row.locator('input[name="progress"]').press('Enter');
  await messageRow.getByText(/^Saved\.$/).waitFor();
  const typedOn = await apiGet(token, `/milestones/${target.id}`);
  check(typedOn.forecast_date === addDays(mine, 1) && typedOn.progress === 35, `stored after typing on: ${JSON.stringify(typedOn)}`);

  // The same while the save meets someone else's change (412): the date typed after Save stays.
  check((await call('PATCH', `/milestones/${target.id}`, { token, body: { progress: 40 }, ifMatch: typedOn.version })).status === 200, 'their third change');
  await forecastInput.fill(addDays(mine, 2));
  await row.getByRole('button', { name: 'Save' }).click();
  await forecastInput.fill(addDays(mine, 3));
  await messageRow.getByText('someone else saved this milestone first').waitFor();
  check((await forecastInput.inputValue()) === addDays(mine, 3), `the date typed during the save is kept: ${await forecastInput.inputValue()}`);
  check((await row.locator('input[name="progress"]').inputValue()) === '40', 'their progress is in the row');
  await page.unroute(`**/api/v1/milestones/${target.id}`);
  await messageRow.getByRole('button', { name: 'Save my changes' }).click();
  await messageRow.getByText('Saved.').waitFor();
  const afterBoth = await apiGet(token, `/milestones/${target.id}`);
  check(afterBoth.forecast_date === addDays(mine, 3) && afterBoth.progress === 40, `stored: ${JSON.stringify(afterBoth)}`);

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

async function unsavedEditsJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-lead');
  const me = await apiGet(token, '/me');
  const project = (await apiGet(token, '/projects?limit=500')).items.filter((p) => p.lead_user_id === me.id)
    .sort((a, b) => a.code.localeCompare(b.code))[1];
  const open = (await apiGet(token, `/projects/${project.id}/milestones?limit=500`)).items.filter((m) => m.status !== 'done' && m.status !== 'cancelled');
  check(open.length >= 2, `${project.code} has two open milestones`);
  const [a, b] = open;
  await signIn(page, 'demo-lead', 'Needs your update');
  await page.goto(`${BASE}/#/projects/${project.id}`);
  const rowA = page.locator(`tr[data-milestone="${a.id}"]`);
  const rowB = page.locator(`tr[data-milestone="${b.id}"]`);
  await rowA.waitFor();
  const progressA = (a.progress + 5) % 100;
  const progressB = (b.progress + 7) % 100;
  await rowA.locator('input[name="progress"]').fill(String(progressA));
  await rowB.locator('input[name="progress"]').fill(String(progressB));
  // Edited rows are marked in words, and "Save all" counts them.
  await rowA.getByText('edited, not saved').waitFor();
  await page.getByRole('button', { name: 'Save all edited (2)' }).waitFor();

  // Leaving asks first; staying keeps the edits on the page.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.waitForTimeout(300);
  check(asked.includes('2 milestones have unsaved changes'), `leaving asked: "${asked}"`);
  check(page.url().includes(`/projects/${project.id}`), `still on the project page: ${page.url()}`);
  check((await rowA.locator('input[name="progress"]').inputValue()) === String(progressA), 'the edit is still there');

  // Save all saves both, each with its own If-Match, and says so per row.
  await page.getByRole('button', { name: 'Save all edited (2)' }).click();
  await page.locator('#milestones-box').getByText('Saved 2 of 2.').waitFor(); // not the screen reader's announcer, which may say it too
  check((await apiGet(token, `/milestones/${a.id}`)).progress === progressA, 'row A saved');
  check((await apiGet(token, `/milestones/${b.id}`)).progress === progressB, 'row B saved');
  await page.getByRole('button', { name: 'Save all edited (0)' }).waitFor();

  // A form filled in but not sent counts too.
  await page.locator('#take-baseline').getByLabel('Baseline name').fill('Half-typed');
  let askedForm = '';
  page.once('dialog', (dialog) => {
    askedForm = dialog.message();
    dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.waitForTimeout(300);
  check(askedForm.includes('1 form is filled in but not sent'), `leaving a filled form asked: "${askedForm}"`);
  await page.locator('#take-baseline').getByLabel('Baseline name').fill('');

  // An edit left on purpose: the user agrees to leave and nothing is stored.
  await rowA.locator('input[name="progress"]').fill(String((progressA + 1) % 100));
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  check((await apiGet(token, `/milestones/${a.id}`)).progress === progressA, 'the abandoned edit stored nothing');

  // Back with unsaved edits: refusing keeps the page, its edits and the history as they were.
  await page.getByRole('link', { name: 'My projects' }).click();
  await page.getByRole('link', { name: project.code }).click();
  await rowA.waitFor();
  await rowA.locator('input[name="progress"]').fill(String((progressA + 2) % 100));
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.goBack();
  await page.waitForTimeout(400);
  check(page.url().includes(`/projects/${project.id}`), `Back refused: still on the project (${page.url()})`);
  check((await rowA.locator('input[name="progress"]').inputValue()) === String((progressA + 2) % 100), 'Back refused: the edit is there');
  page.once('dialog', (dialog) => dialog.accept());
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'My projects' }).waitFor();

  // The session ends with edits on the page: after signing in again they are back, and saved.
  await page.getByRole('link', { name: project.code }).click();
  await rowA.waitFor();
  // Someone else changes its forecast meanwhile: the kept edit meets that change as a conflict, never
  // overwriting it. A form filled in is kept too.
  const kept = (progressA + 3) % 100;
  await rowA.locator('input[name="progress"]').fill(String(kept));
  await page.locator('#take-baseline').getByLabel('Baseline name').fill('Kept across sign-in');
  await page.evaluate(() => sessionStorage.setItem('captrack.token', 'expired.token.value'));
  await rowA.getByRole('button', { name: 'Save' }).click();
  await page.getByLabel('Username').waitFor();
  const current = await apiGet(token, `/milestones/${a.id}`);
  const theirForecast = addDays(current.forecast_date || current.baseline_date, 3);
  check((await call('PATCH', `/milestones/${a.id}`, { token, body: { forecast_date: theirForecast }, ifMatch: current.version })).status === 200, 'their change meanwhile');
  await page.getByLabel('Username').fill('demo-lead');
  await page.getByLabel('Password').fill(USERS['demo-lead']);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await rowA.waitFor();
  check((await rowA.locator('input[name="progress"]').inputValue()) === String(kept), 'the edit is back after signing in again');
  check((await page.locator('#take-baseline').getByLabel('Baseline name').inputValue()) === 'Kept across sign-in', 'the form is back too');
  const messageA = rowA.locator('xpath=following-sibling::tr[1]');
  await messageA.getByText('Your unsaved changes are back').waitFor();
  await rowA.locator('input[name="progress"]').press('Enter');
  await messageA.getByText('someone else saved this milestone first').waitFor();
  check((await messageA.textContent()).includes(`forecast date ${current.forecast_date || 'none'} → ${theirForecast}`), `their change is shown: ${await messageA.textContent()}`);
  await messageA.getByRole('button', { name: 'Save my changes' }).click();
  await messageA.getByText('Saved.').waitFor();
  const both = await apiGet(token, `/milestones/${a.id}`);
  check(both.progress === kept && both.forecast_date === theirForecast, `the kept edit is saved on top of theirs: ${JSON.stringify(both)}`);
  await page.locator('#take-baseline').getByLabel('Baseline name').fill('');
  await page.close();
}

async function needsUpdateJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-lead');
  const me = await apiGet(token, '/me');
  const answer = await apiGet(token, '/me/needs-update');
  const expected = await expectedNeeds(token, me, answer.as_of, answer.look_ahead_days, answer.stale_days);
  await signIn(page, 'demo-lead', 'Needs your update');
  await page.locator('tr.ms-row').first().waitFor();
  const shown = (await page.locator('tr.ms-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.milestone)))).sort((x, y) => x - y);
  const wanted = [...expected].sort((x, y) => x - y);
  check(JSON.stringify(shown) === JSON.stringify(wanted), `listed ${shown.join(',')}; the lead's overdue, due-soon or untouched milestones are ${wanted.join(',')}`);
  // Most urgent first: the most overdue, then the soonest due.
  const listed = await page.locator('tr.ms-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.milestone)));
  const byId = new Map(answer.items.map((m) => [m.id, m]));
  const urgency = (m) => [-(m.overdue_days || 0), m.forecast_date || m.baseline_date];
  for (let i = 1; i < listed.length; i += 1) {
    const [a, b] = [urgency(byId.get(listed[i - 1])), urgency(byId.get(listed[i]))];
    check(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `row ${i + 1} is more urgent than row ${i}`);
  }
  check(shown.length >= 5, `at least five milestones need an update (${shown.length})`);
  // Each row's slip is the server's (GET /projects/{id}/trend, one request a project), not the page's own.
  const slips = new Map();
  for (const projectId of new Set(answer.items.map((m) => m.project_id))) {
    for (const m of (await apiGet(token, `/projects/${projectId}/trend`)).milestones) slips.set(m.id, m.slip_days);
  }
  await page.waitForFunction(() => [...document.querySelectorAll('tr.ms-row td[data-label="Slip (days)"]')].every((td) => td.textContent !== '—'));
  for (const [id, text] of await page.locator('tr.ms-row').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.milestone), r.querySelector('td[data-label="Slip (days)"]').textContent]))) {
    const days = slips.get(id);
    check(text === `${days > 0 ? '+' : ''}${days}`, `milestone ${id} shows slip ${text}; the server says ${days}`);
  }
  await shoot(page, 'lead-needs-update');

  // The weekly job by keyboard alone: five milestones, each moved a week on ("+7" and Enter), counted.
  const rows = answer.items.slice(0, 5);
  check(new Set(rows.map((m) => m.project_id)).size >= 2, 'the five milestones span two projects or more');
  const count = { tabs: 0, keys: 0, clicks: 0, saves: 0 };
  await page.locator('h1').focus();
  for (const m of rows) {
    for (let i = 0; ; i += 1) {
      check(i < 40, `the forecast of ${m.title} cannot be reached with Tab`);
      await page.keyboard.press('Tab');
      count.tabs += 1;
      count.keys += 1;
      const here = await page.evaluate(() => ({ name: document.activeElement?.name, id: document.activeElement?.closest('tr')?.dataset.milestone }));
      if (here.name === 'forecast_date' && Number(here.id) === m.id) break;
    }
    await page.keyboard.type('+7');
    await page.keyboard.press('Enter');
    count.keys += 3;
    count.saves += 1;
    await page.locator(`tr[data-milestone="${m.id}"]`).locator('xpath=following-sibling::tr[1]').getByText('Saved.').waitFor();
  }
  for (const m of rows) {
    const stored = await apiGet(token, `/milestones/${m.id}`);
    const wantedDate = addDays(m.forecast_date || m.baseline_date, 7);
    check(stored.forecast_date === wantedDate, `${m.title}: forecast ${stored.forecast_date}, wanted ${wantedDate}`);
  }
  // From the heading to the eighth milestone's forecast, with Tab.
  await page.reload();
  await page.locator('tr.ms-row').nth(7).waitFor();
  const eighth = Number(await page.locator('tr.ms-row').nth(7).getAttribute('data-milestone'));
  await page.locator('h1').focus();
  let tabsToEighth = 0;
  for (;;) {
    check(tabsToEighth < 100, 'the eighth forecast cannot be reached with Tab');
    await page.keyboard.press('Tab');
    tabsToEighth += 1;
    const here = await page.evaluate(() => ({ name: document.activeElement?.name, id: document.activeElement?.closest('tr')?.dataset.milestone }));
    if (here.name === 'forecast_date' && Number(here.id) === eighth) break;
  }
  check(count.keys <= 45 && tabsToEighth <= 50, `the weekly job got slower: ${count.keys} key presses, ${tabsToEighth} Tabs to the 8th forecast`);
  console.log(`  weekly job by keyboard: ${count.saves} milestones in ${new Set(rows.map((m) => m.project_id)).size} projects updated with ` +
    `${count.keys} key presses (${count.tabs} Tab), ${count.clicks} clicks, ${count.saves} saves (Enter); ` +
    `${tabsToEighth} Tab presses from the heading to the 8th milestone's forecast`);
  await page.close();
}

async function phoneEditJourney(problems) {
  const page = await newPage(problems);
  await page.setViewportSize({ width: 390, height: 844 });
  const token = await tokenOf('demo-lead');
  await signIn(page, 'demo-lead', 'Needs your update');
  const card = page.locator('tr.ms-row').first();
  await card.waitFor();
  const id = Number(await card.getAttribute('data-milestone'));
  const before = await apiGet(token, `/milestones/${id}`);
  // One card a milestone: every field and its Save inside the screen's width.
  for (const selector of ['input[name="forecast_date"]', 'input[name="actual_date"]', 'select[name="status"]', 'input[name="progress"]', 'button.save']) {
    const box = await card.locator(selector).boundingBox();
    check(box && box.x >= 0 && box.x + box.width <= 390, `${selector} is on the phone's screen: ${JSON.stringify(box)}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const progress = (before.progress + 3) % 100;
  await card.locator('input[name="progress"]').fill(String(progress));
  await card.locator('button.save').click();
  await card.locator('xpath=following-sibling::tr[1]').getByText('Saved.').waitFor();
  check((await apiGet(token, `/milestones/${id}`)).progress === progress, 'saved from the phone');
  await shoot(page, 'lead-needs-update-phone');

  // Charts stay legible on the phone: labels at least 10 px, none overlapping.
  await page.goto(`${BASE}/#/projects/${before.project_id}`);
  await page.locator('#timeline svg text').first().waitFor();
  await page.locator('#trend svg text').first().waitFor();
  await checkChartLabels(page, '#timeline svg', 'timeline at 390 px');
  await checkChartLabels(page, '#trend svg', 'trend at 390 px');
  await page.goto(`${BASE}/#/portfolio`);
  await page.locator('svg.health-chart text').first().waitFor();
  await checkChartLabels(page, 'svg.health-chart', 'health chart at 390 px');
  await shoot(page, 'lead-project-phone');
  await page.close();
}

/** Every view of a role, at 1280 and 390 px, through axe-core. */
async function axeSweep(problems, username, home, routes) {
  const page = await newPage(problems);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    if (width === 1280) await signIn(page, username, home);
    for (const [route, ready] of routes) {
      await page.goto(`${BASE}/#${route}`);
      await page.locator(ready).first().waitFor();
      await page.waitForTimeout(150); // the scroll regions settle (ResizeObserver)
      await axeCheck(page, `${username.replace('demo-', '')} ${route}`, problems);
    }
  }
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
  const [workbook] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as Excel' }).click()]);
  check(workbook.suggestedFilename() === 'captrack-contributions.xlsx', `file name ${workbook.suggestedFilename()}`);

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
  await signIn(page, 'demo-admin', 'Users');
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
  await row.getByRole('button', { name: `Reset password of ${username}` }).click();
  await row.getByLabel(`New password for ${username}`).fill(newPassword);
  await row.getByRole('button', { name: 'Set password', exact: true }).click();
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

/** A lead's reminder settings: shown as the API has them, changed in the form, stored (GET /me/reminders). */
async function remindersJourney(problems) {
  const page = await newPage(problems);
  const token = await tokenOf('demo-lead');
  const before = await apiGet(token, '/me/reminders');
  await signIn(page, 'demo-lead', 'Needs your update');
  await page.getByRole('link', { name: 'My reminders' }).click();
  await page.getByRole('heading', { level: 1, name: 'My reminders' }).waitFor();
  const email = page.getByLabel('E-mail address');
  const optIn = page.getByLabel('Send me reminders by e-mail');
  check((await email.inputValue()) === (before.email || ''), `the address shown is ${await email.inputValue()}, the API's ${before.email}`);
  check((await optIn.isChecked()) === before.email_reminders, 'the opt-out shown is the API\'s');
  // The demo server sends no mail (no relay): the page says so rather than promise a schedule.
  check(!before.mail_enabled && (await page.getByText('This server sends no mail').count()) === 1, 'the page says that no mail is sent');
  await axeCheck(page, 'lead /reminders', problems);
  await email.fill('demo-lead@example.org');
  await optIn.uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const after = await apiGet(token, '/me/reminders');
  check(after.email === 'demo-lead@example.org' && after.email_reminders === false && after.version === before.version + 1,
    `stored: ${JSON.stringify(after)}`);
  await shoot(page, 'lead-reminders');
  // Saved again with the new version: no 412 from a stale one.
  await optIn.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  check((await apiGet(token, '/me/reminders')).email_reminders === true, 'reminders are on again');
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

async function axeSignIn(problems) {
  const page = await newPage(problems);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${BASE}/`);
    await page.getByLabel('Username').waitFor();
    await axeCheck(page, 'sign-in', problems);
  }
  await page.close();
}

async function axeEveryView(problems) {
  const reviewer = await tokenOf('demo-reviewer');
  const lead = await tokenOf('demo-lead');
  const leadMe = await apiGet(lead, '/me');
  const partner = await tokenOf('demo-partner');
  const anyProject = (await apiGet(reviewer, '/projects?limit=1&sort=code')).items[0];
  const led = (await apiGet(lead, '/projects?limit=500')).items.find((p) => p.lead_user_id === leadMe.id);
  const shared = (await apiGet(partner, '/projects?limit=1&sort=code')).items[0];
  await axeSignIn(problems);
  await axeSweep(problems, 'demo-reviewer', 'Portfolio', [['/portfolio', '#report-rows'], ['/snapshots', '#snapshot-list'],
    ['/projects', '.projects table, .results p'],
    [`/projects/${anyProject.id}`, '#audit table']]);
  await axeSweep(problems, 'demo-partner', 'Our contributions', [['/contributions', '#our-contributions table'],
    ['/projects', '.projects table, .results p'], [`/projects/${shared.id}`, '#contributions table, #contributions p']]);
  await axeSweep(problems, 'demo-admin', 'Users', [['/users', '#users table'], ['/portfolio', '#report-rows'],
    ['/projects', '.projects table, .results p'], ['/needs-update', 'h1']]);
  await axeSweep(problems, 'demo-lead', 'Needs your update', [['/needs-update', 'tr.ms-row'], ['/my-projects', 'table'],
    [`/projects/${led.id}`, '#milestones tr.ms-row'], ['/portfolio', '#report-rows'], ['/projects', '.projects table, .results p'],
    ['/reminders', '#reminders form']]);
  console.log('  axe-core violations per view (critical/serious/moderate/minor elements):');
  for (const [view, width, c, ids] of AXE_COUNTS) {
    console.log(`    ${view} @${width}: ${c.critical}/${c.serious}/${c.moderate}/${c.minor}${ids ? `  ${ids}` : ''}`);
  }
}

const JOURNEYS = [
  ['reviewer: dashboard, filter, group-by, download, project page', reviewerJourney],
  ['reviewer: publish two snapshots, compare them, download one', snapshotJourney],
  ['lead: reschedule with Enter, done suggests date and 100%, validation error, 412 keeps both sides, declare health, contribution, baseline', leadJourney],
  ['lead: edited rows marked, leaving asks, Save all', unsavedEditsJourney],
  ['lead: "Needs your update" lists the right milestones; the weekly job by keyboard, counted', needsUpdateJourney],
  ['lead on a phone: one card a milestone, edit and save; charts legible', phoneEditJourney],
  ['partner: keyboard sign-in, our contributions, no amounts of others, restricted URL not found', partnerJourney],
  ['admin: add a user, reset the password, disable, sign out', adminJourney],
  ['lead: my reminder settings shown as stored, changed and saved twice', remindersJourney],
  ['phone width: dashboard fits 390 px; a reload keeps the session and revalidates', phoneJourney],
  ['axe-core: no serious or critical violation on any view of any role at 1280 and 390 px', axeEveryView],
];

// CAPTRACK_JOURNEYS=text runs only the journeys whose name contains the text (while working on one).
const only = process.env.CAPTRACK_JOURNEYS || '';
let passed = 0;
let failed = 0;
for (const [name, journey] of JOURNEYS.filter(([n]) => n.includes(only))) {
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
    if (problems.length && !String(e.message).includes(problems[0])) console.log(`  and before that:\n  ${problems.join('\n  ')}`);
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
