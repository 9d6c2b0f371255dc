// What the page knows about the signed-in user and the reference data it has loaded (cached for the
// session: reference data rarely changes, and a reload of the page fetches it again).

import { get, getAll } from './api.js';
import { clearMeta } from './meta.js';

export const session = { me: null };

const cache = new Map();

/** A reference list (partners, missions, capability-areas, objectives), every item, loaded once. */
export function reference(name) {
  if (!cache.has(name)) {
    const loading = getAll(`/${name}`).catch((e) => {
      cache.delete(name);
      throw e;
    });
    cache.set(name, loading);
  }
  return cache.get(name);
}

/** Reference items by id, for showing codes and names instead of ids. */
export async function referenceById(name) {
  const items = await reference(name);
  return new Map(items.map((item) => [item.id, item]));
}

export function clearSession() {
  session.me = null;
  cache.clear();
  clearMeta();
}

/** Loads the signed-in user (GET /me). */
export async function loadMe() {
  session.me = await get('/me');
  return session.me;
}

export const isStaff = () => ['admin', 'reviewer', 'lead'].includes(session.me?.role);
export const canAudit = () => ['admin', 'reviewer'].includes(session.me?.role);

/** Whether the signed-in user may change the project (admin, or the lead who runs it). */
export function canEdit(project) {
  const me = session.me;
  if (!me) return false;
  return me.role === 'admin' || (me.role === 'lead' && project.lead_user_id === me.id);
}
