import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { Role } from '../../auth/role';

export class CreateUserDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'username may hold letters, digits and . _ @ - only' })
  username: string;

  // Length, username and strength are checked by the password policy, which names what is wrong.
  @ApiProperty({
    minLength: 12,
    example: 'kettle-orbit-violet-42',
    description: 'At least 12 characters, not containing the username, not a commonly used password',
  })
  @IsString()
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    minLength: 12,
    description: 'As on create: at least 12 characters, not containing the username, not a commonly used password',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() disabled: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) last_login_at: string | null;
}
