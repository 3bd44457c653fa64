import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { serializeSqliteTransactions } from './sqlite-serial-transactions';

@Entity('notes')
class Note {
  @PrimaryColumn({ type: 'varchar' }) id: string;
  @Column({ type: 'varchar' }) text: string;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function open(serialized: boolean): Promise<DataSource> {
  const ds = await new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [Note],
    synchronize: true,
  }).initialize();
  if (serialized) serializeSqliteTransactions(ds);
  return ds;
}

/** One flow writes in a transaction that later fails; another flow writes meanwhile. */
async function scenario(ds: DataSource): Promise<string[]> {
  const failing = ds.transaction(async (m) => {
    await m.insert(Note, { id: 'a', text: 'in failing tx' });
    await tick();
    await tick();
    throw new Error('boom');
  });
  const other = (async () => {
    await tick();
    await ds.getRepository(Note).save({ id: 'b', text: 'independent save' });
    await ds.transaction((m) => m.insert(Note, { id: 'c', text: 'independent tx' }));
  })();
  await Promise.allSettled([failing, other]);
  return (await ds.getRepository(Note).find({ order: { id: 'ASC' } })).map((n) => n.id);
}

describe('serializeSqliteTransactions', () => {
  it("without it, a rollback undoes another flow's committed writes (the problem)", async () => {
    const ds = await open(false);
    const ids = await scenario(ds);
    expect(ids).not.toEqual(['b', 'c']);
    await ds.destroy();
  });

  it('with it, the failing transaction rolls back alone', async () => {
    const ds = await open(true);
    expect(await scenario(ds)).toEqual(['b', 'c']);
    await ds.destroy();
  });

  it('runs many concurrent transactions and nested ones without mixing them', async () => {
    const ds = await open(true);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ds.transaction(async (m) => {
          await m.insert(Note, { id: `n${i}`, text: 'x' });
          await tick();
          await m.transaction(async (inner) => inner.update(Note, { id: `n${i}` }, { text: 'y' }));
        }),
      ),
    );
    const notes = await ds.getRepository(Note).find();
    expect(notes).toHaveLength(20);
    expect(notes.every((n) => n.text === 'y')).toBe(true);
    await ds.destroy();
  });
});
