/** Roles in rank order: each can do what the ones before it can. */
import type { Role } from '../store/store.ts';

/** What a route asks for: `public` needs no token. */
export type RouteRole = 'public' | Role;

const RANK: Record<RouteRole, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };

export function allows(held: Role, needed: RouteRole): boolean {
  return RANK[held] >= RANK[needed];
}

export interface Principal {
  operatorId: string;
  name: string;
  role: Role;
}
