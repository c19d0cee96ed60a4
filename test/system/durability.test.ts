/** kill -9 in the middle of a write burst loses no acknowledged write (real SQLite file, real process). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnServer, type ServerProcess } from '../helpers/server-process.ts';

const TOKEN = 'durability-admin-token-000000';
let dir = '';
let proc: ServerProcess | null = null;

afterEach(async () => {
  if (proc) await killHard(proc);
  proc = null;
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, body: unknown) {
  const res = await fetch(`${url}/api/operators`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id: string; name: string } };
}

describe('durability', () => {
  it('keeps every acknowledged write after kill -9 during a write burst', async () => {
    dir = mkdtempSync(join(tmpdir(), 'eagle-kill-'));
    const env = { EAGLE_DB: join(dir, 'eagle.db'), EAGLE_ADMIN_TOKEN: TOKEN, EAGLE_DATA: dir, EAGLE_LOG_LEVEL: 'warn' };
    proc = await spawnServer({ ...env, EAGLE_LOG_LEVEL: 'info' });
    const acknowledged: string[] = [];
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await post(proc!.url, { name: `w${w}-${i}`, role: 'viewer' });
          if (res.status === 201) acknowledged.push(res.body.name);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    };
    const workers = [0, 1, 2, 3, 4, 5, 6, 7].map(worker);
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    await killHard(proc);
    await Promise.all(workers);
    proc = await spawnServer({ ...env, EAGLE_LOG_LEVEL: 'info' });
    const res = await fetch(`${proc.url}/api/operators`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const names = new Set(((await res.json()) as { operators: Array<{ name: string }> }).operators.map((o) => o.name));
    const lost = acknowledged.filter((n) => !names.has(n));
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    expect(lost).toEqual([]);
  });
});
