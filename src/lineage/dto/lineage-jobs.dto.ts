import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';

export class ListJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only jobs of this OpenLineage namespace', example: 'airflow-prod' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  namespace?: string;
}

export interface LineageJobDto {
  id: string;
  namespace: string;
  name: string;
  producer: string | null;
  facets: Record<string, unknown>;
  latest_run: LineageRunDto | null;
  created_at: string;
  updated_at: string;
}

export interface LineageRunDto {
  id: string;
  run_id: string;
  job_id: string;
  state: string;
  started_at: string | null;
  ended_at: string | null;
  event_time: string;
  error_message: string | null;
  facets: Record<string, unknown>;
}

export interface LineageJobListDto {
  jobs: LineageJobDto[];
  total: number;
  page: number;
  page_size: number;
}

export interface LineageRunListDto {
  runs: LineageRunDto[];
  total: number;
  page: number;
  page_size: number;
}
