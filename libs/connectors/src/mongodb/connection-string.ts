import type { MongoClientOptions } from 'mongodb';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { AddressGuard } from '../core/types';
import { guardedLookup } from './guarded-lookup';
import { MongoSettings } from './config';

export interface HostPort {
  host: string;
  port: number;
}

/** Where a config points, as far as the address guard and the diagnostic steps need to know. */
export interface MongoEndpoints {
  /** Set for mongodb+srv URIs: the name whose SRV records list the members. */
  srvName?: string;
  /** The seed list (empty for SRV until the records are resolved). */
  hosts: HostPort[];
  tls: boolean;
  /** Certificate checks switched off in the URI (tlsInsecure / tlsAllowInvalidCertificates). */
  tlsInsecure: boolean;
  /** A CA or client certificate comes from a file named in the URI; only the driver reads it. */
  tlsFiles: boolean;
}

const DEFAULT_PORT = 27017;
const URI_SHAPE = /^(mongodb|mongodb\+srv):\/\/([^/?]*)(?:\/[^?]*)?(?:\?(.*))?$/;

function invalid(message: string): ConnectorError {
  return new ConnectorError(
    ConnectorErrorCode.InvalidConfig,
    message,
    'Use mongodb://[user:pass@]host[:port][,host…]/[db][?options] or mongodb+srv://[user:pass@]name/[db][?options].',
  );
}

/** Parses `host`, `host:port`, `[v6]` or `[v6]:port`. */
export function parseHostPort(raw: string, defaultPort = DEFAULT_PORT): HostPort {
  const text = decodeURIComponent(raw.trim());
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : defaultPort };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = text.split(':');
    if (!/^\d+$/.test(port)) throw invalid(`"${text}" has a port that is not a number`);
    return { host, port: Number(port) };
  }
  // Zero colons: a bare name; more than one: a bare IPv6 address without a port.
  return { host: text, port: defaultPort };
}

function flag(params: URLSearchParams, ...names: string[]): boolean | undefined {
  for (const name of names) {
    const value = params.get(name);
    if (value !== null) return value.toLowerCase() === 'true';
  }
  return undefined;
}

/** Reads the hosts and TLS choices out of a MongoDB connection string without connecting. */
export function parseMongoUri(uri: string): MongoEndpoints {
  const match = URI_SHAPE.exec(uri.trim());
  if (!match) throw invalid('The connection string is not a mongodb:// or mongodb+srv:// URI');
  const [, scheme, authority, query] = match;
  const hostList = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostList === '') throw invalid('The connection string names no host');
  const params = new URLSearchParams(query ?? '');
  const tlsInsecure = flag(params, 'tlsInsecure', 'tlsAllowInvalidCertificates') ?? false;
  const tlsFiles = params.has('tlsCAFile') || params.has('tlsCertificateKeyFile');
  if (scheme === 'mongodb+srv') {
    if (hostList.includes(',') || /:\d+$/.test(hostList))
      throw invalid('A mongodb+srv URI names exactly one host and no port');
    return {
      srvName: decodeURIComponent(hostList),
      hosts: [],
      tls: flag(params, 'tls', 'ssl') ?? true,
      tlsInsecure,
      tlsFiles,
    };
  }
  return {
    hosts: hostList.split(',').map((h) => parseHostPort(h)),
    tls: flag(params, 'tls', 'ssl') ?? false,
    tlsInsecure,
    tlsFiles,
  };
}

/** The endpoints of a config: from its URI, or from host/port. */
export function endpointsOf(settings: MongoSettings): MongoEndpoints {
  if (settings.uri) {
    const fromUri = parseMongoUri(settings.uri);
    return { ...fromUri, tls: fromUri.tls || settings.tls };
  }
  if (!settings.host) throw invalid('Either uri or host is required');
  return {
    hosts: settings.host.split(',').map((h) => parseHostPort(h, settings.port)),
    tls: settings.tls,
    tlsInsecure: false,
    tlsFiles: false,
  };
}

function formatHost({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The URI and driver options a config turns into. Config fields win over the same URI options.
 * With a guard, every host name the driver connects to is resolved through it.
 */
export function mongoClientParams(
  settings: MongoSettings,
  guard?: AddressGuard,
): { uri: string; options: MongoClientOptions } {
  const uri = settings.uri ?? `mongodb://${endpointsOf(settings).hosts.map(formatHost).join(',')}/`;
  const options: MongoClientOptions = {
    appName: 'metadata-catalog',
    maxPoolSize: settings.maxConns,
    serverSelectionTimeoutMS: settings.timeoutMs,
    connectTimeoutMS: settings.timeoutMs,
    // A stalled socket must not outlive the run's own deadline by much.
    socketTimeoutMS: settings.timeoutMs + 5000,
    // Catalog reads and $sample do not need the primary; spare it where a secondary can answer.
    readPreference: 'secondaryPreferred',
    maxIdleTimeMS: 60_000,
  };
  if (guard) options.lookup = guardedLookup(guard) as MongoClientOptions['lookup'];
  if (settings.username) options.auth = { username: settings.username, password: settings.password };
  if (settings.authSource) options.authSource = settings.authSource;
  if (settings.tls) options.tls = true;
  if (settings.replicaSet) options.replicaSet = settings.replicaSet;
  return { uri, options };
}
