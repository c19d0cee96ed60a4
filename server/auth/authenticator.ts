/** Token → principal, against the store; and the built-in admin's bootstrap at start. */
import type { Store } from '../store/store.ts';
import type { Principal } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';

export const BUILTIN_ADMIN = 'admin';

export class Authenticator {
  constructor(private readonly store: Store) {}

  authenticate(token: string | undefined | null): Principal | null {
    if (!token) return null;
    const op = this.store.operators.findByTokenHash(hashToken(token));
    return op ? { operatorId: op.id, name: op.name, role: op.role } : null;
  }

  /**
   * Make sure an admin can log in. With EAGLE_ADMIN_TOKEN, that token belongs to the built-in
   * admin. Without it, a token is generated the first time (no active operator yet) and returned
   * so that it can be printed once; later starts return null.
   */
  bootstrapAdmin(configuredToken: string | null): { generatedToken: string | null } {
    const ops = this.store.operators;
    if (configuredToken) {
      if (this.authenticate(configuredToken)) return { generatedToken: null };
      const admin = ops.list().find((o) => o.name === BUILTIN_ADMIN && o.role === 'admin');
      if (admin) ops.addToken(admin.id, hashToken(configuredToken));
      else ops.create({ name: BUILTIN_ADMIN, role: 'admin', tokenHash: hashToken(configuredToken) });
      return { generatedToken: null };
    }
    if (ops.countActive() > 0) return { generatedToken: null };
    const token = newToken();
    ops.create({ name: BUILTIN_ADMIN, role: 'admin', tokenHash: hashToken(token) });
    return { generatedToken: token };
  }
}
