import { applyDecorators } from '@nestjs/common';
import { IsUrl, MaxLength, ValidateBy } from 'class-validator';

function parsesAsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * An http(s) URL that deliveries can actually use. `IsUrl` alone lets through forms the WHATWG
 * parser refuses (an IPv6 zone id such as `[fe80::1%25eth0]`), which then failed later as a 500.
 */
export function WebhookUrl(): PropertyDecorator {
  return applyDecorators(
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }),
    ValidateBy({
      name: 'parsesAsUrl',
      validator: {
        validate: parsesAsUrl,
        defaultMessage: () => '$property must be a plain http(s) URL (IPv6 zone ids are not supported)',
      },
    }),
    MaxLength(2048),
  );
}
