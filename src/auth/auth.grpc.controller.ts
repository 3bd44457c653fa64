import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { TokenPair } from '../grpc/generated/metadata/v1/auth';
import { CallClient } from '../grpc/call-client.decorator';
import { AuthService } from './auth.service';
import { Public } from './decorators';
import { LoginDto, RefreshDto } from './dto/auth.dto';

/** metadata.v1.AuthService: the REST login and refresh over gRPC, through the same service. */
@Controller()
export class AuthGrpcController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @GrpcMethod('AuthService', 'Login')
  login(@Payload() dto: LoginDto, @CallClient() client: CallClient): Promise<TokenPair> {
    return this.auth.login(dto.username, dto.password, client);
  }

  @Public()
  @GrpcMethod('AuthService', 'Refresh')
  refresh(@Payload() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refresh_token);
  }
}
