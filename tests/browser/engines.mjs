// Checks that every package of a package-lock.json (this folder's, or the one given; the folder's own
// package included) accepts the given Node.js version in its "engines" field. run.sh asks it for Debian 12's Node.js, so that a bump of a
// pinned package cannot quietly drop it while the journeys still pass on a newer Node.js, and for the
// Node.js that runs them.
//
// Usage: node engines.mjs <version, e.g. 18.19.0> [path of a package-lock.json]
// (tests/openapi/run.sh checks its own lock file with it too.)
// Prints each package that refuses it and exits 1; exits 2 on a range it cannot read (then check by
// hand and teach it). Reads the ranges npm writes in engines: comparators (>= > <= < = ^ ~, or a bare
// version, "x" or "*" parts) separated by spaces, alternatives by "||".

import fs from 'node:fs';

const wanted = process.argv[2];
if (!/^\d+\.\d+\.\d+$/.test(wanted || '')) {
  console.error('usage: node engines.mjs <major.minor.patch>');
  process.exit(2);
}
const version = wanted.split('.').map(Number);

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Whether `version` satisfies one comparator such as ">=18", "^18.19.0" or "18.x"; throws when unreadable. */
function satisfies(comparator) {
  const m = /^(>=|<=|>|<|=|\^|~)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/i.exec(comparator);
  if (!m) throw new Error(`cannot read the comparator "${comparator}"`);
  const op = m[1] || '=';
  const parts = [m[2], m[3], m[4]];
  const given = parts.findIndex((p) => p === undefined || /^[x*]$/i.test(p));
  const fixed = given === -1 ? 3 : given; // how many leading parts are numbers
  const bound = parts.map((p, i) => (i < fixed ? Number(p) : 0));
  const prefixEquals = () => compare(version.slice(0, fixed).concat([0, 0, 0]).slice(0, 3), bound) === 0;
  switch (op) {
    case '>=': return compare(version, bound) >= 0;
    case '>': return fixed === 3 ? compare(version, bound) > 0 : compare(version, bound) >= 0 && !prefixEquals();
    case '<': return compare(version, bound) < 0;
    case '<=': return fixed === 3 ? compare(version, bound) <= 0 : compare(version, bound) < 0 || prefixEquals();
    case '=': return fixed === 0 || prefixEquals();
    case '^': {
      if (compare(version, bound) < 0) return false;
      const keep = bound[0] !== 0 || fixed === 1 ? 1 : bound[1] !== 0 || fixed === 2 ? 2 : 3;
      return version.slice(0, keep).every((v, i) => v === bound[i]);
    }
    case '~': return compare(version, bound) >= 0 && version.slice(0, Math.min(fixed, 2)).every((v, i) => v === bound[i]);
  }
  return false;
}

function accepts(range) {
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every(satisfies);
  });
}

const lockFile = process.argv[3] || new URL('./package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const refusing = [];
try {
  for (const [where, entry] of Object.entries(lock.packages || {})) {
    const range = entry.engines && entry.engines.node;
    if (range && !accepts(range)) refusing.push(`${where || 'tests/browser'} ${entry.version || ''} (engines.node "${range}")`);
  }
} catch (e) {
  console.error(`engines.mjs: ${e.message}`);
  process.exit(2);
}
if (refusing.length) {
  console.error(`Node.js ${wanted} is refused by:\n  ${refusing.join('\n  ')}`);
  process.exit(1);
}
