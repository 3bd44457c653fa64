import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * AES-256-GCM for secrets at rest. Ciphertexts are self-describing (`enc:v1:<iv>:<tag>:<data>`,
 * base64url) so a value is never decrypted twice or stored in clear by mistake.
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(keyMaterial: string) {
    // A 32-byte base64/hex key is used as is; any other passphrase is stretched with SHA-256.
    const b64 = Buffer.from(keyMaterial, 'base64');
    const hex = /^[0-9a-f]{64}$/i.test(keyMaterial) ? Buffer.from(keyMaterial, 'hex') : undefined;
    this.key =
      hex ?? (b64.length === 32 && keyMaterial.length >= 43 ? b64 : createHash('sha256').update(keyMaterial).digest());
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${iv.toString('base64url')}:${tag.toString('base64url')}:${data.toString('base64url')}`;
  }

  decrypt(stored: string): string {
    if (!SecretCipher.isEncrypted(stored)) throw new Error('Value is not an encrypted secret');
    const [iv, tag, data] = stored.slice(PREFIX.length).split(':');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
