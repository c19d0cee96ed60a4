import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFixture, type FixtureInput } from './golden-io.ts';

const here = dirname(fileURLToPath(import.meta.url));
const inDir = join(here, 'fixtures', 'in');
const outDir = join(here, 'fixtures', 'out');
const regen = process.env.REGEN === '1';

describe('golden GeoJSON fixtures (REGEN=1 rewrites fixtures/out)', () => {
  for (const name of readdirSync(inDir).filter((f) => f.endsWith('.geojson')).sort()) {
    it(`${name}: the planner's output matches fixtures/out/${name}`, () => {
      const input = JSON.parse(readFileSync(join(inDir, name), 'utf8')) as FixtureInput;
      const output = runFixture(input);
      const file = join(outDir, name);
      if (regen) {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(file, `${JSON.stringify(output, null, 1)}\n`);
        return;
      }
      const expected = JSON.parse(readFileSync(file, 'utf8'));
      expect(output).toEqual(expected);
    });
  }
});
