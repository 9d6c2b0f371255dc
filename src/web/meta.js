// What the page takes from the server instead of copying it: the closed sets of names (statuses,
// kinds, roles, frameworks, groupings) and the label of each name, from GET /api/v1/meta. Fetched
// once after sign-in (app.js) and kept in memory until sign-out. docs/WEB.md "What the page takes
// from the server".

import { get } from './api.js';

let meta = null;

/** Loads GET /api/v1/meta once; later calls answer the copy in memory. */
export async function loadMeta() {
  if (!meta) meta = await get('/meta');
  return meta;
}

/** Whether the sets are in memory (loadMeta has answered). */
export const hasMeta = () => meta !== null;

/** Forgets the sets (sign-out). */
export function clearMeta() {
  meta = null;
}

/** The names of a closed set ("milestone_status"), in the server's order. */
export function names(set) {
  const list = meta?.sets?.[set];
  if (!list) throw new Error(`The page does not know the set "${set}": reload the page.`);
  return list;
}

/** The label of a name ("in_progress" -> "In progress"); "—" for none; the name when the server gave none. */
export function labelOf(name) {
  if (name === null || name === undefined) return '—';
  return meta?.labels?.[name] ?? String(name);
}

/** The label for running text, its first letter lower case ("In progress" -> "in progress"); names
 * written in capitals ("NATO — Allies") stay as they are. */
export function wordsOf(name) {
  const text = labelOf(name);
  return /^[A-Z][a-z ]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** A set as the choices of a select: [name, label] pairs. */
export function choices(set, show = labelOf) {
  return names(set).map((name) => [name, show(name)]);
}
