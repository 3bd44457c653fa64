import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  refresh_token: string;
}

/** REST only: the web console sends no body token, its refresh token rides in the HttpOnly cookie. */
export class RestRefreshDto {
  @ApiPropertyOptional({
    description: 'The refresh token. Required unless the request carries the HttpOnly refresh cookie set by /login.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  refresh_token?: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'Revoke only this login; without it every login of the caller is revoked.' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refresh_token?: string;
}

export class TokenPairDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs...' }) access_token: string;
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs...' }) refresh_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 3600, description: 'Seconds until the access token expires' }) expires_in: number;
}
