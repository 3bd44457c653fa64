/**
 * A client for the Confluent Schema Registry REST API (also served by Redpanda, Karapace and
 * Apicurio's compatibility layer): the read-only calls the catalog needs. Every connection goes
 * through the outbound-address guard and redirects are never followed (core/guarded-fetch).
 * https://docs.confluent.io/platform/current/schema-registry/develop/api.html
 */
import { ConnectorError, ConnectorErrorCode, throwIfAborted } from '../core/errors';
import { createGuardedFetch, FetchLike } from '../core/guarded-fetch';
import { AddressGuard } from '../core/types';
import { RegistrySettings } from './config';

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** `GET /subjects/{subject}/versions/{version}` */
export interface SubjectVersion {
  subject: string;
  id: number;
  version: number;
  /** Absent means AVRO. */
  schemaType?: SchemaType;
  schema: string;
  references?: SchemaReference[];
}

/** `GET /schemas/ids/{id}` */
export interface SchemaById {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

/** The registry's error body: `{"error_code": 40401, "message": "Subject not found."}`. */
interface RegistryErrorBody {
  error_code?: number;
  message?: string;
}

const SUBJECT_NOT_FOUND = 40401;
const VERSION_NOT_FOUND = 40402;
const SUBJECT_CONFIG_NOT_FOUND = 40408;

export class RegistryNotFound extends Error {}

export class SchemaRegistryClient {
  private readonly fetch: FetchLike;
  private readonly byId = new Map<number, Promise<SchemaById>>();

  constructor(
    private readonly settings: RegistrySettings,
    private readonly timeoutMs: number,
    guard: AddressGuard,
  ) {
    this.fetch = createGuardedFetch(guard, {
      maxBodyBytes: 16 * 1024 * 1024,
      tls: { ca: settings.ca, rejectUnauthorized: !settings.skipVerify },
    });
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (this.settings.token) headers.authorization = `Bearer ${this.settings.token}`;
    else if (this.settings.username) {
      const pair = `${this.settings.username}:${this.settings.password ?? ''}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    return headers;
  }

  private url(path: string): URL {
    let base: URL;
    try {
      base = new URL(this.settings.url);
    } catch (err) {
      throw new ConnectorError(
        ConnectorErrorCode.InvalidConfig,
        `schema_registry_url "${this.settings.url}" is not a URL`,
        'Use a URL such as http://schema-registry:8081.',
        err,
      );
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ConnectorError(
        ConnectorErrorCode.InvalidConfig,
        'schema_registry_url must be http:// or https://',
        'Use a URL such as http://schema-registry:8081.',
      );
    }
    return new URL(`${base.href.replace(/\/+$/, '')}${path}`);
  }

  /** GET a registry path; a 404 with a "not found" error code becomes RegistryNotFound. */
  private async get<T>(path: string, signal: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const url = this.url(path);
    let response: Response;
    try {
      response = await this.fetch(url, {
        headers: this.headers(),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throwIfAborted(signal);
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new ConnectorError(
          ConnectorErrorCode.Timeout,
          `The Schema Registry did not answer within ${this.timeoutMs} ms`,
          "Raise the source's timeout or check the registry.",
          err,
        );
      }
      throw new ConnectorError(
        ConnectorErrorCode.Unreachable,
        `The Schema Registry at ${url.origin} could not be reached`,
        'Check schema_registry_url and that this service can reach it.',
        err,
      );
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text) as T;
      } catch (err) {
        throw new ConnectorError(
          ConnectorErrorCode.Protocol,
          `The Schema Registry answered ${path} with something other than JSON`,
          'Check that schema_registry_url points at a Schema Registry.',
          err,
        );
      }
    }
    let body: RegistryErrorBody = {};
    try {
      body = JSON.parse(text) as RegistryErrorBody;
    } catch {
      // Not the registry's error body: the status says enough.
    }
    const code = body.error_code;
    if (
      response.status === 404 &&
      (code === SUBJECT_NOT_FOUND || code === VERSION_NOT_FOUND || code === SUBJECT_CONFIG_NOT_FOUND)
    ) {
      throw new RegistryNotFound(body.message ?? 'not found');
    }
    const detail = body.message ? `: ${body.message}` : '';
    if (response.status === 401 || response.status === 403) {
      throw new ConnectorError(
        response.status === 401 ? ConnectorErrorCode.AuthFailed : ConnectorErrorCode.PermissionDenied,
        `The Schema Registry refused the request (HTTP ${response.status}${detail})`,
        'Check schema_registry_username/password or schema_registry_token.',
      );
    }
    if (response.status >= 300 && response.status < 400) {
      throw new ConnectorError(
        ConnectorErrorCode.Protocol,
        `The Schema Registry answered with a redirect (HTTP ${response.status}), which is not followed`,
        'Point schema_registry_url at the final address.',
      );
    }
    throw new ConnectorError(
      ConnectorErrorCode.Protocol,
      `The Schema Registry answered ${path} with HTTP ${response.status}${code ? ` (error ${code})` : ''}${detail}`,
      'Check the registry.',
    );
  }

  subjects(signal: AbortSignal): Promise<string[]> {
    return this.get<string[]>('/subjects', signal);
  }

  /** The versions of a subject, or null when it does not exist. */
  async versions(subject: string, signal: AbortSignal): Promise<number[] | null> {
    try {
      return await this.get<number[]>(`/subjects/${encodeURIComponent(subject)}/versions`, signal);
    } catch (err) {
      if (err instanceof RegistryNotFound) return null;
      throw err;
    }
  }

  version(subject: string, version: number | 'latest', signal: AbortSignal): Promise<SubjectVersion> {
    return this.get<SubjectVersion>(`/subjects/${encodeURIComponent(subject)}/versions/${version}`, signal);
  }

  /** The subject's compatibility level, falling back to the global one. */
  async compatibility(subject: string, signal: AbortSignal): Promise<string | null> {
    try {
      const own = await this.get<{ compatibilityLevel?: string }>(
        `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`,
        signal,
      );
      if (own.compatibilityLevel) return own.compatibilityLevel;
    } catch (err) {
      if (!(err instanceof RegistryNotFound)) throw err;
    }
    const global = await this.get<{ compatibilityLevel?: string }>('/config', signal);
    return global.compatibilityLevel ?? null;
  }

  /** A schema by its global id (immutable, so cached for the client's life). */
  schemaById(id: number, signal: AbortSignal): Promise<SchemaById> {
    let cached = this.byId.get(id);
    if (!cached) {
      cached = this.get<SchemaById>(`/schemas/ids/${id}`, signal);
      cached.catch(() => this.byId.delete(id));
      this.byId.set(id, cached);
    }
    return cached;
  }

  /** The subject/version pairs a schema id is registered under. */
  async subjectsOfId(id: number, signal: AbortSignal): Promise<Array<{ subject: string; version: number }>> {
    try {
      return await this.get<Array<{ subject: string; version: number }>>(`/schemas/ids/${id}/versions`, signal);
    } catch (err) {
      if (err instanceof RegistryNotFound) return [];
      throw err;
    }
  }
}
