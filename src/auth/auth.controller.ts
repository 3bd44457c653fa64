import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { authConfig, AuthConfig } from '../config/configuration';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { clientAddressOfRequest } from '../common/http/client-address';
import { requestIdOf } from '../common/http/request-id';
import { UserDto } from '../users/dto/user.dto';
import { toUserDto, UsersService } from '../users/users.service';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { Principal } from './role';
import { AuthService } from './auth.service';
import { CurrentUser, Public, Requires } from './decorators';
import { Permission } from './permissions';
import { LoginDto, LogoutDto, RestRefreshDto, TokenPairDto } from './dto/auth.dto';
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie } from './refresh-cookie';

@ApiTags('Auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request & { id?: unknown },
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPairDto> {
    const pair = await this.auth.login(dto.username, dto.password, {
      ip: clientAddressOfRequest(req),
      requestId: requestIdOf(req),
    });
    setRefreshCookie(req, res, pair.refresh_token, this.cfg.refreshTtlSeconds);
    return pair;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  async refresh(
    @Body() dto: RestRefreshDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPairDto> {
    const token = dto.refresh_token ?? refreshCookieOf(req);
    if (!token)
      throw new DomainException(
        ErrorReason.ValidationFailed,
        'Validation failed',
        'refresh_token: should not be empty',
      );
    const pair = await this.auth.refresh(token);
    setRefreshCookie(req, res, pair.refresh_token, this.cfg.refreshTtlSeconds);
    return pair;
  }

  @Requires(Permission.OwnSession)
  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiErrors(400, 401, 403, 429)
  async logout(
    @Body() dto: LogoutDto,
    @CurrentUser() user: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ success: true }> {
    await this.auth.logout(user, dto.refresh_token ?? refreshCookieOf(req));
    clearRefreshCookie(req, res);
    return { success: true };
  }

  @Requires(Permission.OwnSession)
  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401, 429)
  async me(@CurrentUser() principal: Principal): Promise<UserDto> {
    const user = await this.users.findById(principal.id);
    if (!user) throw new DomainException(ErrorReason.AccountDisabled, 'User no longer exists');
    return toUserDto(user);
  }
}
