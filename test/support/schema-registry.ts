/**
 * A Confluent Schema Registry contract server for tests: the documented REST endpoints the
 * catalog and test producers use, with the documented status codes and error bodies
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html). Schemas are
 * stored in memory, ids are global and reused for an identical schema, AVRO is the default
 * `schemaType` and is left out of answers as the registry does. Optional basic or bearer auth.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface Reference {
  name: string;
  subject: string;
  version: number;
}

interface StoredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: Reference[];
}

export interface RegistryAuth {
  basic?: { username: string; password: string };
  bearer?: string;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'];

class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class SchemaRegistryContract {
  private server?: Server;
  private readonly schemas: StoredSchema[] = [];
  /** subject → schema ids by version (index 0 is version 1; null once soft-deleted). */
  private readonly subjects = new Map<string, Array<number | null>>();
  private readonly compatibility = new Map<string, string>();
  private globalCompatibility = 'BACKWARD';
  /** Every request as `METHOD path`, with the authorization header it carried. */
  readonly requests: Array<{ method: string; path: string; authorization?: string }> = [];
  url = '';

  constructor(private readonly auth: RegistryAuth = {}) {}

  async start(host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Registers a schema under a subject as a producer would (POST /subjects/{subject}/versions). */
  register(subject: string, schema: string, schemaType: SchemaType = 'AVRO', references: Reference[] = []): number {
    let stored = this.schemas.find(
      (s) =>
        s.schema === schema &&
        s.schemaType === schemaType &&
        JSON.stringify(s.references) === JSON.stringify(references),
    );
    if (!stored) {
      stored = { id: this.schemas.length + 1, schemaType, schema, references };
      this.schemas.push(stored);
    }
    const versions = this.subjects.get(subject) ?? [];
    if (!versions.includes(stored.id)) versions.push(stored.id);
    this.subjects.set(subject, versions);
    return stored.id;
  }

  setCompatibility(level: string, subject?: string): void {
    if (subject) this.compatibility.set(subject, level);
    else this.globalCompatibility = level;
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (this.auth.bearer) return header === `Bearer ${this.auth.bearer}`;
    if (this.auth.basic) {
      const { username, password } = this.auth.basic;
      return header === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      if (!this.authorized(req)) throw new RegistryError(401, 40101, 'Unauthorized');
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      this.send(res, 200, this.route(req.method ?? 'GET', url, body));
    } catch (err) {
      if (err instanceof RegistryError) this.send(res, err.status, { error_code: err.errorCode, message: err.message });
      else this.send(res, 500, { error_code: 50001, message: 'Error in the backend data store' });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private versionsOf(subject: string): Array<number | null> {
    const versions = this.subjects.get(subject);
    if (!versions || versions.every((v) => v === null)) {
      throw new RegistryError(404, 40401, `Subject '${subject}' not found.`);
    }
    return versions;
  }

  private schemaAt(subject: string, version: string) {
    const versions = this.versionsOf(subject);
    let n: number;
    if (version === 'latest' || version === '-1') n = versions.length;
    else if (/^\d+$/.test(version) && Number(version) > 0) n = Number(version);
    else {
      throw new RegistryError(
        422,
        42202,
        `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      );
    }
    const id = versions[n - 1];
    if (id === undefined || id === null) throw new RegistryError(404, 40402, `Version ${version} not found.`);
    const stored = this.schemas[id - 1];
    return {
      subject,
      version: n,
      id,
      ...(stored.schemaType === 'AVRO' ? {} : { schemaType: stored.schemaType }),
      ...(stored.references.length ? { references: stored.references } : {}),
      schema: stored.schema,
    };
  }

  private route(method: string, url: URL, body: Record<string, unknown>): unknown {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && parts.length === 1 && parts[0] === 'subjects') {
      return [...this.subjects.entries()].filter(([, v]) => v.some((id) => id !== null)).map(([s]) => s);
    }
    if (parts[0] === 'subjects' && parts[2] === 'versions') {
      const subject = parts[1];
      if (method === 'GET' && parts.length === 3) {
        return this.versionsOf(subject)
          .map((id, i) => (id === null ? null : i + 1))
          .filter((v) => v !== null);
      }
      if (method === 'GET' && parts.length === 4) return this.schemaAt(subject, parts[3]);
      if (method === 'POST' && parts.length === 3) {
        if (typeof body.schema !== 'string') throw new RegistryError(422, 42201, 'Invalid schema');
        const type = (body.schemaType as SchemaType | undefined) ?? 'AVRO';
        return { id: this.register(subject, body.schema, type, (body.references as Reference[] | undefined) ?? []) };
      }
    }
    if (method === 'GET' && parts[0] === 'schemas' && parts[1] === 'ids' && parts.length >= 3) {
      const id = Number(parts[2]);
      const stored = Number.isInteger(id) ? this.schemas[id - 1] : undefined;
      if (!stored) throw new RegistryError(404, 40403, `Schema ${parts[2]} not found`);
      if (parts.length === 3) {
        return {
          ...(stored.schemaType === 'AVRO' ? {} : { schemaType: stored.schemaType }),
          ...(stored.references.length ? { references: stored.references } : {}),
          schema: stored.schema,
        };
      }
      if (parts[3] === 'versions') {
        const pairs: Array<{ subject: string; version: number }> = [];
        for (const [subject, versions] of this.subjects) {
          versions.forEach((v, i) => v === id && pairs.push({ subject, version: i + 1 }));
        }
        return pairs;
      }
    }
    if (parts[0] === 'config') {
      if (method === 'GET' && parts.length === 1) return { compatibilityLevel: this.globalCompatibility };
      if (method === 'GET' && parts.length === 2) {
        const own = this.compatibility.get(parts[1]);
        if (own) return { compatibilityLevel: own };
        if (url.searchParams.get('defaultToGlobal') === 'true') return { compatibilityLevel: this.globalCompatibility };
        throw new RegistryError(
          404,
          40408,
          `Subject '${parts[1]}' does not have subject-level compatibility configured`,
        );
      }
      if (method === 'PUT') {
        const level = String(body.compatibility ?? '');
        if (!LEVELS.includes(level)) throw new RegistryError(422, 42203, 'Invalid compatibility level');
        this.setCompatibility(level, parts[1]);
        return { compatibility: level };
      }
    }
    throw new RegistryError(404, 404, 'HTTP 404 Not Found');
  }
}
