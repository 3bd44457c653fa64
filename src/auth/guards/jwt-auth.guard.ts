import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '../../common/errors/domain.exception';
import { IS_PUBLIC } from '../decorators';
import { Principal } from '../role';
import { isServiceToken, SERVICE_SCOPE } from '../service-tokens/service-scope';
import { ServiceTokensService } from '../service-tokens/service-tokens.service';
import { TokenService } from '../token.service';

interface GrpcMetadata {
  get(key: string): Array<string | Buffer>;
}

function bearerOf(context: ExecutionContext): string | undefined {
  let header: string | undefined;
  if (context.getType() === 'http') {
    header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization;
  } else if (context.getType() === 'rpc') {
    const metadata = context.switchToRpc().getContext<GrpcMetadata | undefined>();
    const value = metadata?.get?.('authorization')?.[0];
    header = value === undefined ? undefined : String(value);
  }
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

/**
 * Every route needs a valid access token unless marked @Public(); HTTP and gRPC alike. A service
 * token is accepted only on an HTTP handler marked @ServiceScope with the token's scope.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly serviceTokens: ServiceTokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const token = bearerOf(context);
    if (!token) throw DomainException.unauthorized('Authentication required', 'Send Authorization: Bearer <access_token> (POST /api/v1/login)');
    let principal: Principal;
    if (isServiceToken(token)) {
      const scope = context.getType() === 'http' ? this.reflector.getAllAndOverride<string | undefined>(SERVICE_SCOPE, targets) : undefined;
      if (!scope) throw DomainException.forbidden('A service token may not call this route', 'Service tokens are accepted only by POST /api/v1/tasks/{id}/execute');
      principal = await this.serviceTokens.verify(token, scope);
    } else {
      principal = await this.tokens.verifyAccess(token);
    }
    if (context.getType() === 'http') context.switchToHttp().getRequest<{ user?: Principal }>().user = principal;
    else attachToRpc(context, principal);
    return true;
  }
}

/** gRPC handlers read the caller from the call metadata object, where the guard leaves it. */
function attachToRpc(context: ExecutionContext, principal: Principal): void {
  const ctx = context.switchToRpc().getContext<{ user?: Principal } | undefined>();
  if (ctx && typeof ctx === 'object') ctx.user = principal;
}
