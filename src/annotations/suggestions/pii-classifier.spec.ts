import type { ColumnProfile } from '@app/connectors';
import { suggestPii } from './pii-classifier';

const column = (name: string, values: Array<string | null> = []): ColumnProfile => ({
  name,
  null_count: 0,
  null_ratio: 0,
  distinct_count: values.length,
  distinct_ratio: 1,
  top_values: values.map((value) => ({ value, count: 1 })),
});

describe('suggestPii', () => {
  it('e-mail addresses in a column named like one: PII.Email, fully confident, evidence without values', () => {
    const out = suggestPii(column('customer_email', ['ann@example.com', 'bob@example.org', 'cy@example.net']));
    expect(out).toEqual([
      { tag: 'PII.Email', confidence: 100, evidence: { name_match: true, values_checked: 3, values_matched: 3 } },
    ]);
  });

  it('values decide without a telling name; chance matches below half are not suggested', () => {
    expect(suggestPii(column('contact', ['+14155552671', '+49 151 23456789', '(415) 555-2671', 'n/a']))).toEqual([
      { tag: 'PII.Phone', confidence: 75, evidence: { name_match: false, values_checked: 4, values_matched: 3 } },
    ]);
    expect(suggestPii(column('comment', ['ann@example.com', 'hello', 'world', 'again']))).toEqual([]);
  });

  it('card numbers must pass the Luhn check; national ids the SSA rules', () => {
    expect(suggestPii(column('payment', ['4111111111111111', '5500005555555559', '4111111111111112']))).toEqual([
      { tag: 'PII.CreditCard', confidence: 67, evidence: { name_match: false, values_checked: 3, values_matched: 2 } },
    ]);
    expect(suggestPii(column('ref', ['123-45-6789', '000-12-3456', '666-12-3456']))).toEqual([]);
    expect(suggestPii(column('ref', ['123-45-6789', '234-56-7890']))[0]).toMatchObject({ tag: 'PII.NationalId' });
  });

  it('a secret-looking column is judged by its name alone, whatever values it carries', () => {
    expect(suggestPii(column('card_no', ['4111111111111111']))).toEqual([
      { tag: 'PII.CreditCard', confidence: 30, evidence: { name_match: true, values_checked: 0, values_matched: 0 } },
    ]);
    expect(suggestPii(column('password', ['ann@example.com']))).toEqual([]);
  });

  it('a telling name with values that contradict it suggests nothing', () => {
    expect(suggestPii(column('email', ['yes', 'no', null]))).toEqual([]);
    expect(suggestPii(column('nickname', ['ann', 'bob']))).toEqual([]);
  });
});
