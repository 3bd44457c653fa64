import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AnnotationDocumentDto, OWNERSHIP_TYPES } from './dto/annotation-document.dto';
import { AnnotationException } from './annotation.exception';
import { isJsonObject, Json, jsonEqual } from './merge-patch';

export { OWNERSHIP_TYPES };
export type OwnershipType = (typeof OWNERSHIP_TYPES)[number];

export interface OwnerRef {
  user?: string;
  team?: string;
  type: OwnershipType;
}

/**
 * The part of a target people edit, as PATCH patches it and GET shows it: absent keys are empty.
 * Tags and terms by their qualified names (`PII.Email`, `Finance.Revenue`), owners by user or team name.
 */
export interface AnnotationDocument {
  description?: string;
  tags?: string[];
  owners?: OwnerRef[];
  terms?: string[];
  certification?: { status: 'certified' | 'deprecated'; note?: string };
  properties?: Record<string, string | number | boolean>;
}

export const DOCUMENT_KEYS = ['description', 'tags', 'owners', 'terms', 'certification', 'properties'] as const;
export type DocumentKey = (typeof DOCUMENT_KEYS)[number];

/** Each changed key, old → new (null when absent). */
export type DocumentChanges = Partial<Record<DocumentKey, { old: unknown; new: unknown }>>;

/** Drops empty values, so "no tags" and "tags: []" are one state and compare equal. */
export function normalizeDocument(doc: AnnotationDocument): AnnotationDocument {
  const out: AnnotationDocument = {};
  if (doc.description !== undefined && doc.description.trim() !== '') out.description = doc.description;
  if (doc.tags?.length) out.tags = [...new Set(doc.tags)];
  if (doc.owners?.length) {
    const seen = new Set<string>();
    out.owners = doc.owners.filter((o) => {
      const k = `${o.user ? 'u' : 't'}:${o.user ?? o.team}:${o.type}`;
      return !seen.has(k) && seen.add(k);
    });
  }
  if (doc.terms?.length) out.terms = [...new Set(doc.terms)];
  if (doc.certification)
    out.certification = doc.certification.note
      ? { status: doc.certification.status, note: doc.certification.note }
      : { status: doc.certification.status };
  if (doc.properties && Object.keys(doc.properties).length) out.properties = doc.properties;
  return out;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
  });
}

/**
 * The document a merge patch produced, checked for shape (class-validator on the DTO). What it
 * refers to (tags, terms, users, properties) is checked by the service against the store.
 */
export function validDocument(value: Json): AnnotationDocument {
  if (!isJsonObject(value)) throw AnnotationException.invalid('The annotations must be a JSON object');
  // Read-only parts of a GET answer a client may send back unchanged.
  const { version: _v, target: _t, updated_at: _ua, updated_by: _ub, term_details: _td, ...editable } = value;
  if (isJsonObject(editable.certification)) {
    const { by: _by, at: _at, ...certification } = editable.certification;
    editable.certification = certification;
  }
  const dto = plainToInstance(AnnotationDocumentDto, editable);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw AnnotationException.invalid('Invalid annotations', flatten(errors).join('; '));
  for (const o of dto.owners ?? []) {
    if (Boolean(o.user) === Boolean(o.team))
      throw AnnotationException.invalid('Each owner names either a user or a team', JSON.stringify(o));
  }
  const doc: AnnotationDocument = JSON.parse(JSON.stringify(editable)) as AnnotationDocument;
  for (const o of doc.owners ?? []) o.type ??= 'technical';
  return normalizeDocument(doc);
}

/** What changed between two documents, key by key. */
export function diffDocuments(before: AnnotationDocument, after: AnnotationDocument): DocumentChanges {
  const changes: DocumentChanges = {};
  for (const key of DOCUMENT_KEYS) {
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (!jsonEqual(a, b)) changes[key] = { old: a, new: b };
  }
  return changes;
}
