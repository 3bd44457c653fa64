import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length } from 'class-validator';

export const SETTABLE_STATUSES = ['active', 'inactive'] as const;

export class BatchStatusDto {
  @ApiProperty({ type: [String], example: ['ds-1', 'ds-2', 'ds-3'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  ids: string[];

  @ApiProperty({ enum: SETTABLE_STATUSES, example: 'inactive' })
  @IsIn(SETTABLE_STATUSES)
  status: (typeof SETTABLE_STATUSES)[number];
}

export class ItemErrorDto {
  @ApiProperty({ example: 'ds-9' }) id: string;
  @ApiProperty({ example: 'NOT_FOUND' }) code: string;
  @ApiProperty({ example: 'Data source ds-9 not found' }) message: string;
}

export class BatchResultDto {
  @ApiProperty({ example: 3 }) total: number;
  @ApiProperty({ example: 3 }) success: number;
  @ApiProperty({ example: 0 }) failed: number;
  @ApiProperty({ type: [ItemErrorDto] }) errors: ItemErrorDto[];
}
