import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';

const NAME = /^[A-Za-z0-9_-][\w -]{0,63}$/;

export class TagInputDto {
  @ApiProperty({ example: 'Email' })
  @IsString()
  @Matches(NAME, { message: 'a tag name is letters, digits, _, - or spaces (no dots), up to 64' })
  name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
}

export class CreateTagGroupDto {
  @ApiProperty({ example: 'PII' })
  @IsString()
  @Matches(NAME, { message: 'a group name is letters, digits, _, - or spaces (no dots), up to 64' })
  name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({ default: false, description: 'A target carries at most one tag of the group' })
  @IsOptional()
  @IsBoolean()
  mutually_exclusive?: boolean;
  @ApiPropertyOptional({ type: [TagInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TagInputDto)
  tags?: TagInputDto[];
}

/** Replaces what it names; `tags` is the whole new list (a tag still in use may not be dropped). */
export class UpdateTagGroupDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() mutually_exclusive?: boolean;
  @ApiPropertyOptional({ type: [TagInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TagInputDto)
  tags?: TagInputDto[];
}

export class TagDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'PII.Email' }) fqn: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
}

export class TagGroupDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() mutually_exclusive: boolean;
  @ApiProperty({ type: [TagDto] }) tags: TagDto[];
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class TagGroupListDto {
  @ApiProperty({ type: [TagGroupDto] }) tag_groups: TagGroupDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

export class ListTagGroupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Substring of the group name' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  q?: string;
}
