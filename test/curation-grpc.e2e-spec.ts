/**
 * metadata.v1.CurationService: glossaries, terms, teams, custom properties and suggestions over
 * gRPC answer what REST answers, with the same permissions (a viewer reads, a steward defines).
 */
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { bearer, bootApp, describeE2E, TestApp } from './support/app';
import { GrpcTestClient } from './support/grpc-client';

/** REST shows an unset optional as null; gRPC leaves it out. Otherwise the answers are the same. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  return value;
}

describeE2E('curation over gRPC', () => {
  let t: TestApp;
  let grpc: GrpcTestClient;
  let steward: string;
  let viewer: string;
  let stewardName: string;
  const S = 'CurationService';

  beforeAll(async () => {
    t = await bootApp();
    grpc = new GrpcTestClient(t.grpcUrl);
    for (const role of ['steward', 'viewer'] as const) {
      const username = `${role}-${randomBytes(3).toString('hex')}`;
      const password = `${role}-grpc-curation-4`;
      const res = await t.http.post('/api/v1/users').set(bearer(t.adminToken)).send({ username, password, role });
      expect(res.status).toBe(201);
      if (role === 'steward') [steward, stewardName] = [await t.login(username, password), username];
      else viewer = await t.login(username, password);
    }
  });

  afterAll(async () => {
    grpc?.close();
    await t?.close();
  });

  it('glossaries and terms: create, update, read and delete; the answers equal REST', async () => {
    const glossary = await grpc.call<{ id: string; name: string }>(
      S,
      'CreateGlossary',
      { name: 'Finance', description: 'Money words', owners: [{ user: stewardName, type: 'business' }] },
      steward,
    );
    expect(glossary).toMatchObject({ name: 'Finance' });
    const revenue = await grpc.call<{ id: string; fqn: string; status: string }>(
      S,
      'CreateTerm',
      { glossary: 'Finance', name: 'Revenue', synonyms: ['turnover'], status: 'approved' },
      steward,
    );
    expect(revenue).toMatchObject({ fqn: 'Finance.Revenue', status: 'approved' });
    await grpc.call(S, 'CreateTerm', { glossary: glossary.id, name: 'Net', parent: 'Finance.Revenue' }, steward);
    const updated = await grpc.call<{ related: string[]; description: string }>(
      S,
      'UpdateTerm',
      { term: 'Finance.Revenue.Net', description: 'After costs', related: ['Finance.Revenue'] },
      steward,
    );
    expect(updated).toMatchObject({ description: 'After costs', related: ['Finance.Revenue'] });

    const overGrpc = await grpc.call<Record<string, unknown>>(S, 'GetGlossary', { id: 'Finance' }, viewer);
    const overRest = await t.http.get(`/api/v1/glossaries/${glossary.id}`).set(bearer(viewer));
    expect(overGrpc).toEqual(withoutNulls(overRest.body));
    const term = await grpc.call<Record<string, unknown>>(S, 'GetTerm', { term: 'Finance.Revenue' }, viewer);
    expect(term).toEqual(
      withoutNulls((await t.http.get('/api/v1/glossaries/terms/Finance.Revenue').set(bearer(viewer))).body),
    );
    expect(await grpc.call(S, 'ListTermAssets', { term: 'Finance.Revenue' }, viewer)).toEqual({ assets: [] });
    const all = await grpc.call<{ glossaries: Array<{ name: string }> }>(S, 'ListGlossaries', {}, viewer);
    expect(all.glossaries.map((g) => g.name)).toEqual(['Finance']);

    expect((await grpc.fail(S, 'CreateGlossary', { name: 'Nope' }, viewer)).code).toBe(status.PERMISSION_DENIED);
    expect((await grpc.fail(S, 'CreateGlossary', { name: 'Finance' }, steward)).code).toBe(status.ALREADY_EXISTS);
    expect((await grpc.fail(S, 'GetTerm', { term: 'Finance.Nope' }, viewer)).code).toBe(status.NOT_FOUND);
    expect((await grpc.fail(S, 'CreateTerm', { glossary: 'Finance', name: 'bad.name' }, steward)).code).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(await grpc.call(S, 'DeleteTerm', { term: 'Finance.Revenue' }, steward)).toEqual({ success: true });
    expect((await t.http.get('/api/v1/glossaries/terms/Finance.Revenue.Net').set(bearer(viewer))).status).toBe(404);
    expect(await grpc.call(S, 'DeleteGlossary', { id: glossary.id }, steward)).toEqual({ success: true });
  });

  it('teams and custom properties', async () => {
    const team = await grpc.call<{ id: string; members: string[] }>(
      S,
      'CreateTeam',
      { name: 'data-eng', members: [stewardName] },
      steward,
    );
    expect(team.members).toEqual([stewardName]);
    expect((await grpc.call<{ teams: unknown[] }>(S, 'ListTeams', {}, viewer)).teams).toEqual(
      withoutNulls((await t.http.get('/api/v1/teams').set(bearer(viewer))).body.teams),
    );
    const prop = await grpc.call<{ id: string; name: string; value_type: string }>(
      S,
      'CreateCustomProperty',
      { name: 'retention_days', applies_to: 'table', value_type: 'number' },
      steward,
    );
    expect(prop).toMatchObject({ name: 'retention_days', value_type: 'number' });
    expect(
      (await grpc.fail(S, 'CreateCustomProperty', { name: 'x', applies_to: 'table', value_type: 'nope' }, steward))
        .code,
    ).toBe(status.INVALID_ARGUMENT);
    const props = await grpc.call<{ custom_properties: Array<{ name: string }> }>(
      S,
      'ListCustomProperties',
      {},
      viewer,
    );
    expect(props.custom_properties.map((p) => p.name)).toEqual(['retention_days']);
    expect(await grpc.call(S, 'DeleteCustomProperty', { id: prop.id }, steward)).toEqual({ success: true });
    expect(await grpc.call(S, 'DeleteTeam', { id: team.id }, steward)).toEqual({ success: true });
    expect((await grpc.fail(S, 'DeleteTeam', { id: team.id }, viewer)).code).toBe(status.PERMISSION_DENIED);
  });

  it('suggestions: listed like REST; deciding an unknown one is NOT_FOUND; viewers may not decide', async () => {
    const listed = await grpc.call<Record<string, unknown>>(S, 'ListSuggestions', { status: 'pending' }, viewer);
    expect(listed).toEqual(
      withoutNulls((await t.http.get('/api/v1/annotations/suggestions').set(bearer(viewer))).body),
    );
    expect((await grpc.fail(S, 'AcceptSuggestion', { id: 'sug-nope' }, steward)).code).toBe(status.NOT_FOUND);
    expect((await grpc.fail(S, 'RejectSuggestion', { id: 'sug-nope' }, viewer)).code).toBe(status.PERMISSION_DENIED);
    expect((await grpc.fail(S, 'ListSuggestions', { status: 'maybe' }, viewer)).code).toBe(status.INVALID_ARGUMENT);
  });
});
