import { IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { DomainException } from '../errors/domain.exception';
import { ErrorReason } from '../errors/error-reason';
import { ErrorCode } from '../errors/error-code';
import { MASK } from '../redact';
import { ExportFilter, TransferAdapter } from './transfer-adapter';
import { ImportList, ImportOptionsDto } from './transfer.dto';
import { TransferService } from './transfer.service';

// A made-up resource, "things", kept in a map: enough to see what the shared service decides
// and what it leaves to its adapter.

class ThingItemDto {
  @IsString() @Length(1, 20) name: string;
  @IsIn(['alpha', 'beta']) type: string;
  @IsObject() settings: Record<string, unknown>;
  @IsOptional() @IsString() note?: string;
}

class ThingImportRequestDto extends ImportOptionsDto {
  @ImportList(ThingItemDto)
  things: unknown[];
}

interface Thing {
  id: string;
  name: string;
  type: string;
  settings: Record<string, unknown>;
  note: string | null;
  locked: boolean;
}

interface ThingTransfer {
  listKey: 'things';
  row: Thing;
  item: ThingItemDto;
  changes: Partial<Thing>;
  exported: { name: string; type: string; settings: Record<string, unknown> };
  exportRequest: ExportFilter & { locked_too?: boolean };
}

const uniqueViolation = () =>
  Object.assign(new Error('UNIQUE constraint failed'), { driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } });

class FakeThings implements TransferAdapter<ThingTransfer> {
  readonly listKey = 'things';
  readonly configKey = 'settings';
  readonly plural = 'things';
  readonly requestClass = ThingImportRequestDto;
  readonly itemClass = ThingItemDto;

  rows = new Map<string, Thing>();
  refusedByStore = new Set<string>();
  brokenStore = false;
  afterUpdatesSaw: string[][] = [];
  private next = 1;

  secretFieldsOf(type: string): string[] | undefined {
    return type === 'alpha' || type === 'beta' ? ['password'] : undefined;
  }

  async findForExport(request: ThingTransfer['exportRequest']): Promise<Thing[]> {
    return [...this.rows.values()]
      .filter((r) => (!request.ids || request.ids.includes(r.id)) && (!request.type || r.type === request.type))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  notFound(ids: string): DomainException {
    return new DomainException(ErrorReason.TemplateNotFound, `Thing ${ids} not found`);
  }

  selectExported(rows: Thing[], request: ThingTransfer['exportRequest']): Thing[] {
    return request.locked_too ? rows : rows.filter((r) => !r.locked);
  }

  toExported(r: Thing): ThingTransfer['exported'] {
    return {
      name: r.name,
      type: r.type,
      settings: { ...r.settings, ...('password' in r.settings ? { password: MASK } : {}) },
    };
  }

  keyOf(item: ThingItemDto): string {
    return item.name;
  }

  repeated(item: ThingItemDto): string {
    return `"${item.name}" twice`;
  }

  async findExisting(item: ThingItemDto): Promise<Thing | null> {
    return [...this.rows.values()].find((r) => r.name === item.name) ?? null;
  }

  refuse(_item: ThingItemDto, existing: Thing | null): void {
    if (existing?.locked) throw new DomainException(ErrorReason.TemplateReadOnly, `"${existing.name}" is locked`);
  }

  nameTaken(item: ThingItemDto): DomainException {
    return new DomainException(ErrorReason.TemplateNameTaken, `A thing named "${item.name}" already exists`);
  }

  draftNew(item: ThingItemDto): { row: Thing; warnings: string[] } {
    const settings = { ...item.settings };
    const warnings: string[] = [];
    if (settings.password === MASK) {
      delete settings.password;
      warnings.push('settings.password was masked and was left unset');
    }
    return {
      row: {
        id: `thing-${this.next++}`,
        name: item.name,
        type: item.type,
        settings,
        note: item.note ?? null,
        locked: false,
      },
      warnings,
    };
  }

  draftUpdate(existing: Thing, item: ThingItemDto): Partial<Thing> {
    // A masked secret keeps the stored one.
    const settings = { ...existing.settings, ...item.settings };
    if (item.settings.password === MASK) settings.password = existing.settings.password;
    return { settings, ...(item.note !== undefined ? { note: item.note } : {}) };
  }

  async insert(_manager: EntityManager, row: Thing): Promise<void> {
    if (this.brokenStore) throw new Error('disk full');
    if (this.refusedByStore.has(row.name)) throw uniqueViolation();
    this.rows.set(row.id, row);
  }

  async update(_manager: EntityManager, existing: Thing, changes: Partial<Thing>): Promise<void> {
    this.rows.set(existing.id, { ...existing, ...changes });
  }

  async afterUpdates(updated: { existing: Thing; changes: Partial<Thing> }[]): Promise<void> {
    this.afterUpdatesSaw.push(updated.map((u) => u.existing.id));
  }

  seed(row: Partial<Thing> & { name: string }): Thing {
    const thing: Thing = { id: `seed-${row.name}`, type: 'alpha', settings: {}, note: null, locked: false, ...row };
    this.rows.set(thing.id, thing);
    return thing;
  }
}

/** A store whose transaction undoes the adapter's writes when the callback throws. */
function fakeDb(things: FakeThings): DataSource {
  const manager = {} as EntityManager;
  const db = {
    manager,
    transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      const before = new Map(things.rows);
      try {
        return await work(manager);
      } catch (err) {
        things.rows = before;
        throw err;
      }
    },
  };
  return db as unknown as DataSource;
}

describe('TransferService', () => {
  let things: FakeThings;
  let transfer: TransferService<ThingTransfer>;

  beforeEach(() => {
    things = new FakeThings();
    transfer = new TransferService(fakeDb(things), things);
  });

  describe('export', () => {
    it('writes the adapter rows under its list key, secrets masked, without ids', async () => {
      things.seed({ name: 'b', settings: { host: 'h', password: 'pw' } });
      things.seed({ name: 'a', type: 'beta' });
      const out = await transfer.export({});
      expect(out.text).toBeUndefined();
      expect(out.document).toEqual({
        exported_at: expect.stringMatching(/Z$/),
        count: 2,
        things: [
          { name: 'a', type: 'beta', settings: {} },
          { name: 'b', type: 'alpha', settings: { host: 'h', password: MASK } },
        ],
      });
      expect(JSON.stringify(out.document)).not.toContain('pw');
    });

    it('renders YAML when asked', async () => {
      things.seed({ name: 'a' });
      const out = await transfer.export({ format: 'yaml' });
      expect(out.text).toMatch(/^exported_at: .*\ncount: 1\nthings:\n {2}- name: a\n/);
    });

    it('refuses ids that match nothing through the adapter, naming them', async () => {
      const a = things.seed({ name: 'a' });
      await expect(transfer.export({ ids: [a.id, 'thing-x', 'thing-y'] })).rejects.toMatchObject({
        code: ErrorCode.NotFound,
        message: 'Thing thing-x, thing-y not found',
      });
    });

    it('counts only what the adapter selects', async () => {
      things.seed({ name: 'a' });
      things.seed({ name: 'b', locked: true });
      expect((await transfer.export({})).document.count).toBe(1);
      expect((await transfer.export({ locked_too: true })).document.count).toBe(2);
    });
  });

  describe('import', () => {
    it('creates every item and reports each, with the warnings of new items', async () => {
      const result = await transfer.import(
        {
          things: [
            { name: 'a', type: 'alpha', settings: { password: MASK } },
            { name: 'b', type: 'beta', settings: {} },
          ],
        },
        {},
      );
      expect(result).toEqual({
        total: 2,
        success: 2,
        failed: 0,
        errors: [],
        things: [
          { index: 0, id: 'thing-1', name: 'a', action: 'created' },
          { index: 1, id: 'thing-2', name: 'b', action: 'created' },
        ],
        warnings: [{ index: 0, name: 'a', message: 'settings.password was masked and was left unset' }],
        message: 'Imported 2 of 2 things',
      });
      expect(Object.keys(result)).toEqual(['total', 'success', 'failed', 'errors', 'things', 'warnings', 'message']);
      expect(things.rows.size).toBe(2);
    });

    it('takes a YAML list with its options in the query string', async () => {
      const yaml = '- name: a\n  type: alpha\n  settings: {}\n- name: 7\n  type: alpha\n  settings: {}\n';
      const result = await transfer.import(yaml, { continue_on_error: 'true' });
      expect(result.success).toBe(1);
      expect(result.errors).toEqual([
        {
          index: 1,
          name: null,
          code: ErrorCode.InvalidRequest,
          message: expect.stringMatching(/^Validation failed: name: /),
        },
      ]);
    });

    it('imports nothing when one item is bad, reporting every bad item', async () => {
      const result = await transfer.import(
        { things: [{ name: 'a', type: 'alpha', settings: {} }, 'nope', { name: 'b', type: 'gamma', settings: {} }] },
        {},
      );
      expect(result).toMatchObject({
        total: 3,
        success: 0,
        failed: 2,
        things: [],
        warnings: [],
        message: 'Nothing imported: 2 of 3 items are invalid; fix them or pass continue_on_error',
      });
      expect(result.errors).toEqual([
        {
          index: 1,
          name: null,
          code: ErrorCode.InvalidRequest,
          message: 'An item must be an object with name, type and settings',
        },
        {
          index: 2,
          name: 'b',
          code: ErrorCode.InvalidRequest,
          message: expect.stringMatching(/^Validation failed: type: /),
        },
      ]);
      expect(things.rows.size).toBe(0);
    });

    it('with continue_on_error imports the good items and reports the rest in list order', async () => {
      const result = await transfer.import(
        {
          things: [
            { name: 'a', type: 'alpha', settings: {} },
            { name: 'a', type: 'beta', settings: {} },
            { name: 'c', type: 'alpha', settings: {} },
          ],
          continue_on_error: true,
        },
        {},
      );
      expect(result).toMatchObject({ total: 3, success: 2, failed: 1, message: 'Imported 2 of 3 things' });
      expect(result.errors).toEqual([{ index: 1, name: 'a', code: ErrorCode.Conflict, message: '"a" twice' }]);
    });

    it('reports an existing name as the adapter conflict, and updates it with update_existing', async () => {
      const stored = things.seed({ name: 'a', settings: { host: 'old', password: 'pw' } });
      const item = { name: 'a', type: 'alpha', settings: { host: 'new', password: MASK }, note: 'n' };

      const refused = await transfer.import({ things: [item] }, {});
      expect(refused.errors).toEqual([
        { index: 0, name: 'a', code: ErrorCode.Conflict, message: 'A thing named "a" already exists' },
      ]);

      const result = await transfer.import({ things: [item] }, { update_existing: 'true' });
      expect(result.things).toEqual([{ index: 0, id: stored.id, name: 'a', action: 'updated' }]);
      expect(things.rows.get(stored.id)).toMatchObject({ settings: { host: 'new', password: 'pw' }, note: 'n' });
      expect(things.afterUpdatesSaw).toEqual([[stored.id]]);
    });

    it('lets the adapter refuse an item whatever update_existing says', async () => {
      things.seed({ name: 'a', locked: true });
      const result = await transfer.import(
        { things: [{ name: 'a', type: 'alpha', settings: {} }], update_existing: true },
        {},
      );
      expect(result.errors).toEqual([{ index: 0, name: 'a', code: ErrorCode.Forbidden, message: '"a" is locked' }]);
    });

    it('refuses the whole document when a non-secret field carries a credential', async () => {
      const body = {
        things: [
          { name: 'a', type: 'alpha', settings: {} },
          { name: 'b', type: 'alpha', settings: { url: 'http://u:p@h' } },
        ],
        continue_on_error: true,
      };
      await expect(transfer.import(body, {})).rejects.toThrow(/things\[1\]\.settings\.url carries a credential/);
      expect(things.rows.size).toBe(0);
    });

    it('rolls everything back when the store refuses one write, naming it as a conflict', async () => {
      things.refusedByStore.add('b');
      const items = [
        { name: 'a', type: 'alpha', settings: {} },
        { name: 'b', type: 'alpha', settings: {} },
      ];
      const result = await transfer.import({ things: items }, {});
      expect(result).toMatchObject({ success: 0, failed: 1, message: 'Nothing imported: item 1 could not be stored' });
      expect(result.errors).toEqual([
        { index: 1, name: 'b', code: ErrorCode.Conflict, message: 'A thing named "b" already exists' },
      ]);
      expect(things.rows.size).toBe(0);

      const partial = await transfer.import({ things: items, continue_on_error: true }, {});
      expect(partial).toMatchObject({ success: 1, failed: 1, message: 'Imported 1 of 2 things' });
    });

    it('lets a store failure that is not the item fault propagate', async () => {
      things.brokenStore = true;
      await expect(transfer.import({ things: [{ name: 'a', type: 'alpha', settings: {} }] }, {})).rejects.toThrow(
        'disk full',
      );
    });
  });
});
