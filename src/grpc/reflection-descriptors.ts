import type { PackageDefinition } from '@grpc/proto-loader';
import { Reader } from 'protobufjs';
import {
  FileDescriptorProto,
  IDescriptorProto,
  IEnumDescriptorProto,
  IFileDescriptorProto,
} from 'protobufjs/ext/descriptor';

/**
 * The file descriptors @grpc/proto-loader produces list no imports (grpc/grpc-node#2595), so a
 * reflection client such as grpcurl cannot resolve `google.protobuf.Struct` from our files
 * ("unresolvable reference"). This fills each file's `dependency` with the files that define the
 * types it uses, for the copy of the definition handed to the reflection service.
 */

const strip = (name: string) => name.replace(/^\./, '');

/** A FileDescriptorProto's name (field 1, written first), read without decoding the whole file. */
function fileNameOf(bytes: Uint8Array): string | undefined {
  const reader = Reader.create(bytes);
  const tag = reader.uint32();
  return tag === ((1 << 3) | 2) ? reader.string() : undefined;
}

function indexTypes(
  scope: string,
  messages: IDescriptorProto[] = [],
  enums: IEnumDescriptorProto[] = [],
  file: string,
  index: Map<string, string>,
): void {
  for (const e of enums) index.set(`${scope}${e.name}`, file);
  for (const m of messages) {
    const name = `${scope}${m.name}`;
    index.set(name, file);
    indexTypes(`${name}.`, m.nestedType, m.enumType, file, index);
  }
}

function referencedTypes(messages: IDescriptorProto[] = []): string[] {
  return messages
    .flatMap((m) => [...(m.field ?? []).map((f) => f.typeName ?? ''), ...referencedTypes(m.nestedType)])
    .filter(Boolean);
}

/** Resolves a type name as protoc would: absolute, or relative to the enclosing package scopes. */
function fileOf(ref: string, pkg: string, index: Map<string, string>): string | undefined {
  if (ref.startsWith('.')) return index.get(strip(ref));
  const parts = pkg ? pkg.split('.') : [];
  for (let i = parts.length; i >= 0; i--) {
    const found = index.get([...parts.slice(0, i), ref].join('.'));
    if (found) return found;
  }
  return undefined;
}

/** The file descriptors a message or enum definition carries (services carry none of their own). */
function descriptorsOf(def: unknown): Buffer[] {
  if (!def || typeof def !== 'object' || !('format' in def)) return [];
  const protos = (def as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : [];
}

/** A copy of the definition whose file descriptors name the files they import. */
export function withFileDependencies(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, IFileDescriptorProto>();
  const nameOf = new Map<Buffer, string>();
  for (const def of Object.values(definition)) {
    for (const bytes of descriptorsOf(def)) {
      const name = fileNameOf(bytes);
      if (!name) continue;
      nameOf.set(bytes, name);
      if (!files.has(name))
        files.set(
          name,
          FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes), { arrays: true }) as IFileDescriptorProto,
        );
    }
  }
  const index = new Map<string, string>();
  for (const [name, file] of files)
    indexTypes(file.package ? `${file.package}.` : '', file.messageType, file.enumType, name, index);

  const encoded = new Map<string, Buffer>();
  for (const [name, file] of files) {
    const refs = [
      ...referencedTypes(file.messageType),
      ...(file.service ?? []).flatMap((s) => (s.method ?? []).flatMap((m) => [m.inputType ?? '', m.outputType ?? ''])),
    ];
    const deps = new Set<string>();
    for (const ref of refs.filter(Boolean)) {
      const owner = fileOf(ref, file.package ?? '', index);
      if (owner && owner !== name) deps.add(owner);
    }
    const linked = { ...file, dependency: [...deps].sort() };
    encoded.set(name, Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(linked)).finish()));
  }

  return Object.fromEntries(
    Object.entries(definition).map(([key, def]) => {
      const own = descriptorsOf(def);
      if (own.length === 0) return [key, def];
      const protos = own.map((bytes) => encoded.get(nameOf.get(bytes) ?? '') ?? bytes);
      return [key, { ...def, fileDescriptorProtos: protos }];
    }),
  ) as PackageDefinition;
}
