import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { authConfig, AuthConfig } from '../config/configuration';
import { readOrCreateKeyFile } from '../common/crypto/key-file';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGrpcController } from './auth.grpc.controller';
import { AuthService } from './auth.service';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { ServiceTokenEntity } from './service-tokens/service-token.entity';
import { ServiceTokensController } from './service-tokens/service-tokens.controller';
import { ServiceTokensService } from './service-tokens/service-tokens.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { TokenService } from './token.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshTokenEntity, ServiceTokenEntity]),
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (cfg: AuthConfig) => ({
        secret: cfg.jwtSecret ?? readOrCreateKeyFile(cfg.dataDir, 'jwt.secret'),
        signOptions: { algorithm: 'HS256', issuer: 'metadata-service' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'metadata-service' },
      }),
    }),
    UsersModule,
    AuditModule,
  ],
  controllers: [AuthController, AuthGrpcController, ServiceTokensController],
  providers: [
    AuthService,
    TokenService,
    ServiceTokensService,
    // Order matters: authenticate, then authorize.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenService, ServiceTokensService],
})
export class AuthModule {}
