import { Global, Module } from '@nestjs/common';
import { securityConfig, SecurityConfig } from '../../config/configuration';
import { readOrCreateKeyFile } from './key-file';
import { SecretCipher } from './secret-cipher';

@Global()
@Module({
  providers: [
    {
      provide: SecretCipher,
      inject: [securityConfig.KEY],
      useFactory: (cfg: SecurityConfig) =>
        new SecretCipher(cfg.encryptionKey ?? readOrCreateKeyFile(cfg.dataDir, 'encryption.key')),
    },
  ],
  exports: [SecretCipher],
})
export class CryptoModule {}
