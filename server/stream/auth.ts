/**
 * Who may open the stream. The authenticator is injected (the operators/tokens store is built
 * elsewhere); the token comes from `?token=` or `Authorization: Bearer`.
 */
import type { IncomingMessage } from 'node:http';

export type Role = 'viewer' | 'operator' | 'admin';
export interface Identity {
  operatorId: string;
  role: Role;
}
export type Authenticate = (token: string | undefined) => Promise<Identity | null>;

export function tokenOf(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams.get('token');
  if (q) return q;
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}
