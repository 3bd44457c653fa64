import validator from 'validator';
import { looksSecret } from '@app/connectors';
import type { ColumnProfile } from '@app/connectors';
import type { SuggestionEvidence } from '../entities/annotation-suggestion.entity';

/** The tag group suggested tags belong to, and its tags. */
export const PII_GROUP = 'PII';

interface Detector {
  tag: string;
  /** Words a column name is made of that hint at the kind (`customer_email` → email). */
  nameWords: RegExp;
  /** A maintained validator (validator.js) deciding whether one value is of the kind. */
  accepts(value: string): boolean;
}

const SSN = /^\d{3}-?\d{2}-?\d{4}$/;
/** A phone number as people write one: digits with a leading + or separators, not a bare number. */
const PHONE_WRITTEN = /^(\+[\d\s().-]{7,20}|[\d\s().-]*[\s().-][\d\s().-]*)$/;

/** US social security numbers: validator.js's TIN check, plus the SSA's never-issued areas, groups and serials. */
function isSsn(value: string): boolean {
  if (!SSN.test(value)) return false;
  const digits = value.replace(/-/g, '');
  return (
    validator.isTaxID(digits, 'en-US') &&
    !/^(000|666|9)/.test(digits) &&
    digits.slice(3, 5) !== '00' &&
    digits.slice(5) !== '0000'
  );
}

function isPhone(value: string): boolean {
  if (!PHONE_WRITTEN.test(value) || SSN.test(value)) return false;
  const digits = value.replace(/[\s().-]/g, '');
  return digits.replace('+', '').length >= 7 && validator.isMobilePhone(digits, 'any');
}

const DETECTORS: Detector[] = [
  { tag: 'Email', nameWords: /^(e?mail|email_?address)$/, accepts: (v) => validator.isEmail(v) },
  {
    tag: 'Phone',
    nameWords: /^(phone|mobile|cell|tel|telephone|msisdn|fax)$/,
    accepts: isPhone,
  },
  {
    tag: 'CreditCard',
    nameWords: /^(card|cc|pan|creditcard)$/,
    accepts: (v) => validator.isCreditCard(v.replace(/[\s-]/g, '')),
  },
  {
    tag: 'NationalId',
    nameWords: /^(ssn|sin|nin|national|passport|taxid|tin)$/,
    accepts: isSsn,
  },
];

export interface PiiSuggestion {
  /** `PII.Email`, … */
  tag: string;
  /** 0–100. */
  confidence: number;
  evidence: SuggestionEvidence;
}

/** Values matching below this confidence are taken for chance. */
const MIN_CONFIDENCE = 50;
/** A name alone, without values to confirm it (secret-looking columns, top values off). */
const NAME_ONLY_CONFIDENCE = 30;
const NAME_BONUS = 15;

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * PII tags a column's name and profiled values suggest. Values are the profile's top values, which
 * a profile never holds for secret-looking columns; those are judged by name alone. Evidence keeps
 * counts, never values.
 */
export function suggestPii(column: ColumnProfile): PiiSuggestion[] {
  const words = nameWords(column.name);
  const values = looksSecret(column.name)
    ? []
    : (column.top_values ?? []).map((t) => t.value).filter((v): v is string => typeof v === 'string' && v !== '');
  const out: PiiSuggestion[] = [];
  for (const d of DETECTORS) {
    const nameMatch = words.some((w) => d.nameWords.test(w)) || d.nameWords.test(words.join(''));
    const matched = values.filter((v) => d.accepts(v)).length;
    let confidence: number;
    if (values.length === 0) {
      if (!nameMatch) continue;
      confidence = NAME_ONLY_CONFIDENCE;
    } else {
      if (matched === 0) continue;
      confidence = Math.min(100, Math.round((100 * matched) / values.length) + (nameMatch ? NAME_BONUS : 0));
      if (confidence < MIN_CONFIDENCE) continue;
    }
    out.push({
      tag: `${PII_GROUP}.${d.tag}`,
      confidence,
      evidence: { name_match: nameMatch, values_checked: values.length, values_matched: matched },
    });
  }
  return out;
}
