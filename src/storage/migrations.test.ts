import 'fake-indexeddb/auto';
import { createStore, entries, get, setMany, type UseStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { CrmStorage } from './crm.ts';
import {
  CRM_SCHEMA_VERSION,
  type CompanyV0,
  type CrmManifest,
  MANIFEST_KEY,
  migrateCrm,
  NewerCrmSchemaError,
} from './migrations.ts';

let dbs = 0;
const freshStore = (): UseStore => createStore(`migrations-test-${++dbs}`, 'companies-v1');

const v0 = (id: string, fields: Partial<CompanyV0> = {}): CompanyV0 => ({
  id,
  name: `Company ${id}`,
  website: `https://www.${id}.com/about`,
  tags: 'seed, fintech',
  notes: 'met at a conference',
  created: '2024-03-01T10:00:00.000Z',
  ...fields,
});

describe('migrateCrm', () => {
  it('moves v0 records (one key per company) to the v1 chunked layout in one step', async () => {
    const useStore = freshStore();
    await setMany(
      [
        ['a', v0('a')],
        ['b', v0('b', { website: 'not a site', tags: '' })],
        ['c', v0('c', { name: '  ', created: 'garbage' })],
      ],
      useStore,
    );
    const outcome = await migrateCrm(useStore, 42);
    expect(outcome).toEqual({ from: 0, to: CRM_SCHEMA_VERSION, migrated: 3 });

    const stored = await entries<string, unknown>(useStore);
    expect(stored.map(([key]) => key).filter((key) => !key.startsWith('chunk/'))).toEqual([MANIFEST_KEY]);
    const manifest = (await get(MANIFEST_KEY, useStore)) as CrmManifest;
    expect(manifest).toMatchObject({ schemaVersion: 1, count: 3, revision: 1, chunks: [expect.any(String)] });

    const companies = await new CrmStorage(useStore).load();
    const byId = Object.fromEntries(companies.map((company) => [company.id, company]));
    expect(byId.a).toMatchObject({
      name: 'Company a',
      domain: 'a.com',
      website: 'https://www.a.com/about',
      tags: ['seed', 'fintech'],
      notes: 'met at a conference',
      source: 'manual',
      createdAt: Date.parse('2024-03-01T10:00:00.000Z'),
    });
    // A website that is not a web address survives as text, without a domain.
    expect(byId.b).toMatchObject({ domain: null, website: 'not a site', tags: [] });
    expect(byId.c).toMatchObject({ name: 'https://www.c.com/about', createdAt: 42 });
  });

  it('does nothing the second time, or on an empty store', async () => {
    const useStore = freshStore();
    await setMany([['a', v0('a')]], useStore);
    await migrateCrm(useStore);
    const before = await entries(useStore);
    expect(await migrateCrm(useStore)).toEqual({ from: 1, to: 1, migrated: 0 });
    expect(await entries(useStore)).toEqual(before);
    expect(await migrateCrm(freshStore())).toEqual({ from: 1, to: 1, migrated: 0 });
  });

  it('refuses a CRM from a newer Sift and leaves it untouched', async () => {
    const useStore = freshStore();
    const future = { schemaVersion: CRM_SCHEMA_VERSION + 1, future: true };
    await setMany(
      [
        [MANIFEST_KEY, future],
        ['something', { id: 'x' }],
      ],
      useStore,
    );
    await expect(migrateCrm(useStore)).rejects.toThrow(NewerCrmSchemaError);
    await expect(new CrmStorage(useStore).load()).rejects.toThrow(/newer version of Sift/);
    expect(await get(MANIFEST_KEY, useStore)).toEqual(future);
    expect(await get('something', useStore)).toEqual({ id: 'x' });
  });
});
