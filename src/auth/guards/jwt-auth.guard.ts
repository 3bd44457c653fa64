import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorReason } from '../../common/errors/error-reason';
import { AccessTokenVerifier, tokenRejection } from '../access-token.verifier';
import { bearerTokenOf } from '../bearer-token';
import { IS_PUBLIC } from '../decorators';
import { JwtStrategy } from '../jwt.strategy';
import { Principal } from '../role';
import { isServiceToken, SERVICE_SCOPE } from '../service-tokens/service-scope';
import { ServiceTokensService } from '../service-tokens/service-tokens.service';

interface GrpcMetadata {
  get(key: string): Array<string | Buffer>;
  user?: Principal;
}

function bearerOf(context: ExecutionContext): string | undefined {
  if (context.getType() === 'http')
    return bearerTokenOf(
      context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers.authorization,
    );
  if (context.getType() === 'rpc')
    return bearerTokenOf(context.switchToRpc().getContext<GrpcMetadata | undefined>()?.get?.('authorization')?.[0]);
  return undefined;
}

/**
 * Every route needs a valid access token unless marked @Public(); HTTP and gRPC alike. HTTP goes
 * through passport (JwtStrategy); gRPC calls the same AccessTokenVerifier. A service token is
 * accepted only on an HTTP handler marked @ServiceScope with the token's scope.
 *
 * Passport is handed this application's own strategy instance rather than the name it registers
 * under: that name is process-wide, so with two applications in one process (tests, embedding)
 * the one started last would otherwise verify the other's tokens with its own store and keys.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly serviceTokens: ServiceTokensService,
    private readonly strategy: JwtStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const token = bearerOf(context);
    if (!token)
      throw new DomainException(
        ErrorReason.AuthenticationRequired,
        'Authentication required',
        'Send Authorization: Bearer <access_token> (POST /api/v1/login)',
      );
    if (isServiceToken(token)) {
      const scope =
        context.getType() === 'http'
          ? this.reflector.getAllAndOverride<string | undefined>(SERVICE_SCOPE, targets)
          : undefined;
      if (!scope)
        throw new DomainException(
          ErrorReason.ServiceTokenNotAllowed,
          'A service token may not call this route',
          'Service tokens are accepted only by POST /api/v1/tasks/{id}/execute',
        );
      this.attach(context, await this.serviceTokens.verify(token, scope));
      return true;
    }
    this.attach(
      context,
      context.getType() === 'http' ? await this.authenticateHttp(context) : await this.verifier.verify(token),
    );
    return true;
  }

  private authenticateHttp(context: ExecutionContext): Promise<Principal> {
    const http = context.switchToHttp();
    return new Promise((resolve, reject) => {
      // Passport attaches this request's success/fail callbacks to the strategy object it is given,
      // so each request gets its own object with the shared strategy as prototype.
      const strategy = Object.create(this.strategy) as passport.Strategy;
      const authenticate = passport.authenticate(
        strategy,
        { session: false },
        (err: unknown, user: Principal | false, info: unknown) => {
          try {
            resolve(outcome(err, user, info));
          } catch (rejection) {
            reject(rejection);
          }
        },
      ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
      authenticate(http.getRequest(), http.getResponse(), (err) => reject(tokenRejection(err)));
    });
  }

  /** HTTP handlers read the caller from the request, gRPC handlers from the call metadata object. */
  private attach(context: ExecutionContext, principal: Principal): void {
    if (context.getType() === 'http') {
      context.switchToHttp().getRequest<{ user?: Principal }>().user = principal;
      return;
    }
    const ctx = context.switchToRpc().getContext<GrpcMetadata | undefined>();
    if (ctx && typeof ctx === 'object') ctx.user = principal;
  }
}

/** Passport's outcome in the envelope: the verifier's own 401s as they are, the JWT library's mapped. */
function outcome(err: unknown, user: Principal | false, info: unknown): Principal {
  if (err) throw tokenRejection(err);
  if (!user) throw tokenRejection(info);
  return user;
}
