import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { clientAddressOfRequest } from '../common/http/client-address';
import { requestIdOf } from '../common/http/request-id';
import { UserDto } from '../users/dto/user.dto';
import { toUserDto, UsersService } from '../users/users.service';
import { DomainException } from '../common/errors/domain.exception';
import { ALL_ROLES, Principal } from './role';
import { AuthService } from './auth.service';
import { CurrentUser, Public, Roles } from './decorators';
import { LoginDto, LogoutDto, RefreshDto, TokenPairDto } from './dto/auth.dto';

@ApiTags('Auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() req: Request & { id?: unknown }): Promise<TokenPairDto> {
    return this.auth.login(dto.username, dto.password, {
      ip: clientAddressOfRequest(req),
      requestId: requestIdOf(req),
    });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refresh_token);
  }

  @Post('logout')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiBearerAuth()
  @ApiErrors(400, 401, 403, 429)
  async logout(@Body() dto: LogoutDto, @CurrentUser() user: Principal): Promise<{ success: true }> {
    await this.auth.logout(user, dto.refresh_token);
    return { success: true };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401, 429)
  async me(@CurrentUser() principal: Principal): Promise<UserDto> {
    const user = await this.users.findById(principal.id);
    if (!user) throw DomainException.unauthorized('User no longer exists');
    return toUserDto(user);
  }
}
