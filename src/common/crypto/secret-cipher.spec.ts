import { SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  it('round-trips and never stores the clear text', () => {
    const cipher = new SecretCipher('a passphrase that is long enough');
    const stored = cipher.encrypt('s3cret!');
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain('s3cret');
    expect(cipher.decrypt(stored)).toBe('s3cret!');
    expect(cipher.encrypt('s3cret!')).not.toBe(stored); // fresh IV each time
  });

  it('refuses a tampered value or a different key', () => {
    const a = new SecretCipher('key-a-key-a-key-a');
    const stored = a.encrypt('x');
    expect(() => new SecretCipher('key-b-key-b-key-b').decrypt(stored)).toThrow();
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    expect(() => a.decrypt(tampered)).toThrow();
  });
});
