/** Broadcast templates and their formatter; the broadcasts repository of the SQLite store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../server/mavlink/dialects/speaker.ts';
import { openSqliteStore } from '../../server/store/sqlite-store.ts';
import { format, LANGS, renderTemplate, TEMPLATES } from '../../server/warnings/templates.ts';
import { speechDurationMs, speechPassMs } from '../../server/warnings/speech-time.ts';

describe('broadcast templates', () => {
  it('covers the six situations in zh-CN and English, each rendering with its defaults into one chunk-able text', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['parking-advisory', 'no-parking', 'keep-lane-clear', 'crowd-dispersal', 'traffic-guidance', 'evacuation']);
    for (const t of TEMPLATES) {
      for (const lang of LANGS) {
        const text = renderTemplate(t.id, lang);
        expect(text, `${t.id} ${lang}`).not.toMatch(/[{}]/);
        expect(splitText(text).length).toBeLessThanOrEqual(2);
        if (lang === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
        else expect(text).toMatch(/^[\x20-\x7e]+$/);
      }
    }
    expect(TEMPLATES.find((t) => t.id === 'evacuation')!.priority).toBe('urgent');
  });

  it('fills parameters and refuses unknown, malformed or over-long ones with a reason', () => {
    expect(renderTemplate('parking-advisory', 'zh-CN', { plate: '鄂A12345', minutes: 5 })).toBe('您好，这里是临时停车区，最长停留5分钟。请鄂A12345尽快驶离，谢谢配合。');
    expect(renderTemplate('evacuation', 'en', { exit: 'the North Gate' })).toBe('Emergency: please evacuate now through the North Gate. Stay calm, do not push, and follow the staff\'s instructions.');
    expect(renderTemplate('traffic-guidance', 'zh-CN', { road: '高新大道', detour: '经光谷三路' })).toBe('高新大道拥堵，请减速慢行，经光谷三路绕行。');
    expect(() => renderTemplate('parking-advisory', 'en', { colour: 'red' })).toThrow(/no parameter colour/);
    expect(() => renderTemplate('parking-advisory', 'en', { minutes: 'five' })).toThrow(/minutes must be a whole number/);
    expect(() => renderTemplate('no-parking', 'en', { plate: 'x'.repeat(41) })).toThrow(/at most 40 characters/);
    expect(() => renderTemplate('no-parking', 'en', { plate: '{plate}' })).toThrow(/plain text/);
    expect(() => renderTemplate('nope', 'en')).toThrow(/no broadcast template "nope"/);
    expect(format('{{literal}} {a}', { a: 'x' })).toBe('{literal} x');
  });

  it('estimates speech time: ~4 Chinese characters or 2.5 English words a second, times the repeats', () => {
    expect(speechPassMs('请尽快驶离')).toBe(1250);
    expect(speechPassMs('Please move on now')).toBe(1600);
    expect(speechPassMs('请注意 Attention')).toBe(750 + 400);
    expect(speechDurationMs('请尽快驶离', 3)).toBe(3 * 1250 + 2 * 800);
  });
});

describe('broadcasts repository (SQLite)', () => {
  it('stores broadcasts, updates their state, lists newest first with filters and paging, and survives a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eagle-broadcasts-'));
    const path = join(dir, 'eagle.db');
    try {
      let store = openSqliteStore(path);
      const base = {
        operator: 'li.wei', at: '2026-11-29T10:00:00.000Z', template: null, clipId: null, params: null, lang: 'zh-CN', voice: 0, volume: 80, repeat: 1,
        priority: 'normal' as const, target: null, state: 'queued' as const, progress: 0, durationMs: null, reason: null, startedAt: null, endedAt: null,
      };
      const a = store.broadcasts.create({ ...base, droneId: 'E01', text: '第一条', requestId: 1 });
      const b = store.broadcasts.create({ ...base, droneId: 'E02', text: 'second', requestId: 2, template: 'no-parking', params: { plate: 'A1' }, target: { lat: 30.5, lon: 114.4 } });
      const c = store.broadcasts.create({ ...base, droneId: 'E01', text: '第三条', requestId: 3 });
      expect([a.id, b.id, c.id]).toEqual(['B1', 'B2', 'B3']);
      store.broadcasts.update(a.id, { state: 'done', progress: 100, durationMs: 1500, startedAt: '2026-11-29T10:00:01.000Z', endedAt: '2026-11-29T10:00:03.000Z', updatedAt: '2026-11-29T10:00:03.000Z' });
      expect(store.broadcasts.list({}).map((x) => x.id)).toEqual(['B3', 'B2', 'B1']);
      expect(store.broadcasts.list({ droneId: 'E01' }).map((x) => x.id)).toEqual(['B3', 'B1']);
      expect(store.broadcasts.list({ before: 'B3', limit: 1 }).map((x) => x.id)).toEqual(['B2']);
      expect(store.broadcasts.list({ state: 'done' }).map((x) => x.id)).toEqual(['B1']);
      expect(store.broadcasts.unfinished().map((x) => x.id)).toEqual(['B2', 'B3']);
      store.close();
      store = openSqliteStore(path);
      expect(store.broadcasts.get('B1')).toMatchObject({ text: '第一条', state: 'done', progress: 100, durationMs: 1500, endedAt: '2026-11-29T10:00:03.000Z' });
      expect(store.broadcasts.get('B2')).toMatchObject({ params: { plate: 'A1' }, target: { lat: 30.5, lon: 114.4 }, template: 'no-parking' });
      expect(store.broadcasts.get('B9')).toBeNull();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
