import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ScheduleType } from '../../scheduling/scheduling-types';

export class TaskScheduleDto {
  @ApiProperty({
    enum: ScheduleType,
    description: 'immediate: runs once each time the task is started; once: at start_time; cron; interval',
  })
  @IsEnum(ScheduleType)
  type: ScheduleType;

  @ApiPropertyOptional({
    example: '0 0 * * *',
    description:
      'cron only: five fields (minute hour day month weekday) or six with seconds first (`*/2 * * * * *` = every 2 s), read in `timezone`. ' +
      'A firing missed while the service was down runs once on return, not once per missed firing.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  cron_expr?: string;

  @ApiPropertyOptional({
    example: 'Asia/Shanghai',
    description: 'cron only: IANA time zone (default UTC); daylight-saving changes are honoured',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiPropertyOptional({ example: 3600, minimum: 1, description: 'interval only: seconds between firings' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366 * 24 * 3600)
  interval?: number;

  @ApiPropertyOptional({
    example: '2030-01-01T00:00:00Z',
    description: 'once: when to run (must be in the future); cron/interval: no firing before it',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  start_time?: string;

  @ApiPropertyOptional({ example: '2030-12-31T00:00:00Z', description: 'No firing after it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  end_time?: string;
}
