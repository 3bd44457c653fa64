import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class LineageTokenRequestDto {
  @ApiProperty({ description: 'Integration name (letters, digits, . _ -)', example: 'airflow-prod' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,48}$/, { message: 'name must be 1–48 letters, digits, dots, underscores or dashes' })
  name!: string;
}
