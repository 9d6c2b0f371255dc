// Charts drawn with SVG through DOM calls (no markup strings), and the one SVG the server draws (the
// milestone trend) brought in through DOMParser, so nothing it contains can run.

import { s, h, scrollRegion, uid } from './dom.js';
import { names, labelOf, wordsOf } from './meta.js';

/** The healths the server knows, then "none" (no health), each with its label. */
const healths = () => [...names('health'), 'none'].map((key) => [key, labelOf(key)]);

/** A horizontal bar chart of health counts ({green, amber, red, none}), with the numbers written out. */
export function healthChart(counts, title = 'Projects by health') {
  const width = 420;
  const barHeight = 26;
  const gap = 10;
  const left = 90;
  const right = 50;
  const HEALTHS = healths();
  const height = HEALTHS.length * (barHeight + gap) + gap;
  const max = Math.max(1, ...HEALTHS.map(([key]) => counts[key] || 0));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart health-chart',
    role: 'img',
    'aria-labelledby': 'health-chart-title',
  });
  svg.append(s('title', { id: 'health-chart-title' }, `${title}: ${HEALTHS.map(([k, l]) => `${l} ${counts[k] || 0}`).join(', ')}`));
  HEALTHS.forEach(([key, label], i) => {
    const y = gap + i * (barHeight + gap);
    const value = counts[key] || 0;
    const w = ((width - left - right) * value) / max;
    svg.append(
      s('text', { x: left - 8, y: y + barHeight / 2 + 5, 'text-anchor': 'end', class: 'chart-label' }, label),
      s('rect', { x: left, y, width: Math.max(value ? 2 : 0, w), height: barHeight, rx: 3, class: `bar-${key}` }),
      s('text', { x: left + w + 6, y: y + barHeight / 2 + 5, class: 'chart-value' }, String(value))
    );
  });
  return h('figure', { class: 'chart-box' }, svg, h('figcaption', null, title));
}

/** How wide a character is, in ems, at most about: wide scripts a whole em, capitals and the widest
 * small letters most of one, other letters and digits 0.62. */
function emWidth(ch) {
  const code = ch.codePointAt(0);
  if ((code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || code >= 0x1f300) return 1;
  if (ch !== ch.toLowerCase() || 'mwMW@%'.includes(ch)) return 0.92;
  return 0.62;
}

/** `title` cut to fit `room` units at `size`, at a word where one is near, with "…" (the whole title is
 * in the mark's tooltip). */
function fitTitle(title, room, size) {
  const chars = [...title];
  const widths = chars.map((c) => emWidth(c) * size);
  if (widths.reduce((a, b) => a + b, 0) <= room) return title;
  let used = size; // the ellipsis
  let n = 0;
  while (n < chars.length && used + widths[n] <= room) used += widths[n++];
  const cut = chars.slice(0, n).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}

function dayNumber(date) {
  return date ? Date.parse(`${date}T00:00:00Z`) / 86400000 : null;
}

/**
 * A timeline of milestones: for each, a line from its baseline date to its due or actual date and a
 * marker; today as a vertical line. `milestones` are those of GET /projects/{id}/trend (JSON): the
 * server says each one's `due` date and `slip_days`, the page does not work them out. `asOf` is
 * YYYY-MM-DD.
 */
export function milestoneTimeline(milestones, asOf) {
  const rows = milestones.filter((m) => m.status !== 'cancelled');
  if (!rows.length) return h('p', { class: 'muted' }, 'No milestones to draw.');
  const plot = timelinePlot(rows, asOf);
  const { width, left, height } = plot;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart timeline', role: 'img', 'aria-labelledby': 'timeline-title' });
  svg.append(s('title', { id: 'timeline-title' }, 'Milestone timeline: baseline to forecast or actual date'));
  // The names' column, as a hard edge: a name wider than guessed is cut there, never drawn into the plot.
  const clipId = uid('names');
  svg.append(s('clipPath', { id: clipId }, s('rect', { x: 0, y: 0, width: left - 4, height })));
  timelineTicks(svg, plot);
  timelineToday(svg, plot, asOf);
  rows.forEach((m, i) => svg.append(timelineRow(m, i, plot, asOf, clipId)));
  return h(
    'figure',
    { class: 'chart-box wide' },
    scrollRegion(h('div', { class: 'chart-scroll' }, svg), 'Milestone timeline'),
    h('figcaption', null, 'Squares: baseline date. Dots: forecast date (filled when done, on the actual date). Red: overdue.')
  );
}

/** The timeline's geometry: its span of days (10 either side of every date and `asOf`), its size, and x(date). */
function timelinePlot(rows, asOf) {
  const dates = rows.flatMap((m) => [m.baseline_date, m.due, m.actual_date]).filter(Boolean);
  dates.push(asOf);
  const days = dates.map(dayNumber);
  const from = Math.min(...days) - 10;
  const to = Math.max(...days) + 10;
  const width = 760;
  const left = 210;
  const right = 20;
  const rowHeight = 22;
  const top = 26;
  const height = top + rows.length * rowHeight + 24;
  const x = (d) => left + ((dayNumber(d) - from) / (to - from)) * (width - left - right);
  return { from, to, width, left, right, rowHeight, top, height, x };
}

/** The tick dates of the timeline: each year over a long span, each quarter over a short one; `months` says which. */
function tickDates(from, to) {
  const firstYear = new Date(from * 86400000).getUTCFullYear();
  const lastYear = new Date(to * 86400000).getUTCFullYear();
  const months = to - from > 3 * 365 ? [1] : [1, 4, 7, 10];
  const ticks = [];
  for (let year = firstYear; year <= lastYear; year += 1) {
    for (const month of months) ticks.push(`${year}-${String(month).padStart(2, '0')}-01`);
  }
  return { ticks, months };
}

/** Draws the timeline's grid lines and their labels (YYYY, or YYYY-MM for quarters). */
function timelineTicks(svg, { from, to, width, right, top, height, x }) {
  const { ticks, months } = tickDates(from, to);
  // A label is written only where it cannot touch the one before it (11 units a character at most 0.62
  // of that wide): the grid lines stay, crowded labels are thinned out.
  let lastLabelEnd = -Infinity;
  for (const d of ticks) {
    if (dayNumber(d) < from || dayNumber(d) > to) continue;
    const label = months.length === 1 ? d.slice(0, 4) : d.slice(0, 7);
    const labelWidth = label.length * 12 * 0.62;
    const nearRight = x(d) > width - right - labelWidth - 4;
    const start = nearRight ? x(d) - 3 - labelWidth : x(d) + 3;
    svg.append(s('line', { x1: x(d), x2: x(d), y1: top - 6, y2: height - 20, class: 'grid' }));
    if (start < lastLabelEnd + 8) continue;
    lastLabelEnd = start + labelWidth;
    svg.append(s('text', { x: nearRight ? x(d) - 3 : x(d) + 3, y: top - 10, 'text-anchor': nearRight ? 'end' : 'start', class: 'chart-label small' }, label));
  }
}

/** Draws the "today" line, written under the chart so it never covers a year. */
function timelineToday(svg, { width, right, top, height, x }, asOf) {
  const todayRight = x(asOf) > width - right - 90;
  svg.append(
    s('line', { x1: x(asOf), x2: x(asOf), y1: top - 6, y2: height - 16, class: 'today' }),
    s('text', { x: todayRight ? x(asOf) - 3 : x(asOf) + 3, y: height - 4, 'text-anchor': todayRight ? 'end' : 'start', class: 'chart-label small today-label' }, `today ${asOf}`)
  );
}

/** Milestone `m`'s row (the i-th): its name, cut at the names' column, and baseline to due (or done) date. */
function timelineRow(m, i, { left, rowHeight, top, x }, asOf, clipId) {
  const y = top + i * rowHeight + rowHeight / 2;
  const due = m.status === 'done' ? m.actual_date || m.due : m.due;
  const late = m.slip_days > 0;
  const overdue = m.status !== 'done' && dayNumber(due) < dayNumber(asOf);
  const g = s('g', { class: ['ms', m.status === 'done' ? 'ms-done' : overdue ? 'ms-overdue' : late ? 'ms-late' : 'ms-open'].join(' ') });
  g.append(
    s('title', null, `${m.title}: baseline ${m.baseline_date}, ${m.status === 'done' ? 'done' : 'due'} ${due || '—'} (${wordsOf(m.status)})`),
    s('text', { x: left - 8, y: y + 4, 'text-anchor': 'end', class: 'chart-label small', 'clip-path': `url(#${clipId})` }, fitTitle(m.title, left - 12, 12)),
    s('line', { x1: x(m.baseline_date), x2: x(due), y1: y, y2: y, class: 'ms-slip' }),
    s('rect', { x: x(m.baseline_date) - 3, y: y - 3, width: 6, height: 6, class: 'ms-baseline' }),
    s('circle', { cx: x(due), cy: y, r: 5, class: 'ms-due' })
  );
  return g;
}

/**
 * Parses SVG markup from the server as image/svg+xml and returns the imported <svg> element with any
 * script, foreignObject or event-handler attribute removed (the CSP would block them anyway).
 */
export function importSvg(markup) {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
    throw new Error('The chart could not be read.');
  }
  for (const bad of root.querySelectorAll('script, foreignObject')) bad.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || ((name === 'href' || name === 'xlink:href') && !attr.value.startsWith('#'))) {
        el.removeAttribute(attr.name);
      }
    }
  }
  const svg = document.importNode(root, true);
  svg.classList.add('chart', 'trend');
  // Never narrower than its own units, so its labels keep the size they were drawn at.
  const naturalWidth = Number((svg.getAttribute('viewBox') || '').split(/\s+/)[2]) || Number(svg.getAttribute('width')) || 560;
  svg.style.setProperty('--natural-width', `${naturalWidth}px`);
  return svg;
}
