import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { KeyObject } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthController } from './auth.controller';
import { AuthGrpcController } from './auth.grpc.controller';
import { AuthService } from './auth.service';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { ServiceTokenEntity } from './service-tokens/service-token.entity';
import { ServiceTokensController } from './service-tokens/service-tokens.controller';
import { ServiceTokensService } from './service-tokens/service-tokens.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { JWT_KEY, JWT_SIGN_OPTIONS, JWT_VERIFY_OPTIONS, JwtKeyModule } from './jwt-key.module';
import { JwtStrategy } from './jwt.strategy';
import { LoginLockout } from './login-lockout';
import { RevokedLogins } from './revoked-logins';
import { StartupSecretsCheck } from './startup-secrets.check';
import { TokenService } from './token.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshTokenEntity, ServiceTokenEntity]),
    JwtKeyModule,
    JwtModule.registerAsync({
      imports: [JwtKeyModule],
      inject: [JWT_KEY],
      useFactory: (key: KeyObject) => ({
        secret: key,
        signOptions: JWT_SIGN_OPTIONS,
        verifyOptions: JWT_VERIFY_OPTIONS,
      }),
    }),
    PassportModule,
    UsersModule,
    AuditModule,
  ],
  controllers: [AuthController, AuthGrpcController, ServiceTokensController],
  providers: [
    AuthService,
    TokenService,
    LoginLockout,
    ServiceTokensService,
    StartupSecretsCheck,
    // One memory of ended logins, shared by the token issuer (revocations count at once) and the verifier.
    {
      provide: RevokedLogins,
      inject: [getRepositoryToken(RefreshTokenEntity)],
      useFactory: (repo: Repository<RefreshTokenEntity>) => new RevokedLogins(repo),
    },
    AccessTokenVerifier,
    JwtStrategy,
    // Order matters: authenticate, then authorize.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenService, ServiceTokensService],
})
export class AuthModule {}
